using System.Globalization;
using System.Text;
using System.Text.Json;
using Gate.Cli.Inputs;
using Gate.Cli.Render;
using Gate.Cli.SignOff;

namespace Gate.Cli.Commands;

/// <summary><c>report</c> writes the sign-off files; <c>verdict</c> prints the console table. Both exit 0 SHIP, 1 DO NOT SHIP.</summary>
public static class ReportCommand
{
    public static readonly IReadOnlySet<string> Flags = new HashSet<string> { "allow-uncovered", "no-color" };

    public static int Run(Args a, TextWriter stdout, TextWriter stderr, bool writeFiles)
    {
        var resultsDir = a.Get("results") is { Length: > 0 } given ? given
            : Environment.GetEnvironmentVariable("GATE_RESULTS_DIR") is { Length: > 0 } env ? env
            : throw new GateConfigException($"{a.Command}: --results is required (or set GATE_RESULTS_DIR; see gate-cli help)");
        var root = Program.RepoRoot();
        var catalogPath = a.Get("catalog")
            ?? (root is null ? throw new GateConfigException($"{a.Command}: no checklist/catalog.yaml in this folder or above: pass --catalog <file>")
                : Path.Combine(root, "checklist", "catalog.yaml"));
        var waiversPath = a.Get("waivers");
        if (waiversPath is null && root is not null && File.Exists(Path.Combine(root, "waivers.yaml")))
            waiversPath = Path.Combine(root, "waivers.yaml");
        var outDir = writeFiles ? a.Get("out") ?? Path.Combine(resultsDir, "signoff") : null;
        var todayText = a.Get("today");
        var allowUncovered = a.Flag("allow-uncovered");
        var noColor = a.Flag("no-color");
        a.RejectUnknown();

        var now = DateTimeOffset.UtcNow;
        var today = todayText is null ? DateOnly.FromDateTime(now.UtcDateTime)
            : DateOnly.TryParseExact(todayText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t
            : throw new GateConfigException($"{a.Command}: --today must be yyyy-MM-dd, not '{todayText}'");

        var catalog = Catalog.Load(catalogPath);
        var results = ResultsFolder.Load(resultsDir);
        var waivers = waiversPath is null ? WaiverFile.None : WaiverFile.Load(waiversPath);
        var report = SignOffBuilder.Build(results, catalog, waivers,
            new SignOffOptions { Today = today, Now = now, AllowUncovered = allowUncovered });

        if (outDir is null)
        {
            var color = !noColor && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null
                && ReferenceEquals(stdout, Console.Out);
            stdout.Write(ConsoleTable.Render(report, color));
            return report.Ship ? Program.Ship : Program.DoNotShip;
        }

        Directory.CreateDirectory(outDir);
        var utf8 = new UTF8Encoding(false);
        File.WriteAllText(Path.Combine(outDir, "signoff.html"), HtmlReport.Render(report, outDir), utf8);
        File.WriteAllText(Path.Combine(outDir, "signoff.md"), MarkdownReport.Render(report, outDir), utf8);
        File.WriteAllText(Path.Combine(outDir, "signoff.json"), Json(report), utf8);
        using (var w = new StreamWriter(Path.Combine(outDir, "junit.xml"), false, utf8))
            JUnitReport.Render(report).Save(w);
        var summaryMarkdown = MarkdownReport.Render(report, outDir, summaryOnly: true);
        File.WriteAllText(Path.Combine(outDir, "summary.md"), summaryMarkdown, utf8);
        if (Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
            File.AppendAllText(summary, summaryMarkdown + "\n", utf8);

        stdout.WriteLine($"sign-off: {Path.Combine(outDir, "signoff.html")} (also signoff.md, summary.md, junit.xml, signoff.json)");
        stdout.WriteLine(Text.Headline(report) + (report.Ship ? "" : " (gate-cli verdict lists them)"));
        return report.Ship ? Program.Ship : Program.DoNotShip;
    }

    /// <summary>signoff.json: the verdict and item statuses for scripts.</summary>
    public static string Json(SignOffReport r) => JsonSerializer.Serialize(new
    {
        verdict = r.Verdict,
        ship = r.Ship,
        passed = r.Passed,
        failed = r.Failed,
        skipped = r.Skipped,
        blockers = r.Blockers.Select(b => new { kind = b.Kind.ToString(), subject = b.Subject, text = b.Text }),
        items = r.AllItems.Select(i => new
        {
            id = i.Item.Id,
            title = i.Item.Title,
            status = i.Status.Label(),
            blocks = i.Blocks,
            signer = i.Item.Signer,
            checks = i.Checks.Select(c => new { id = c.Id, status = c.Status.Label(), severity = c.Severity, required = c.Required }),
        }),
        waivers = r.Waivers.Select(w => new { check = w.Check, state = w.State.ToString().ToLowerInvariant(), owner = w.Owner, expires = w.Expires, note = w.Note }),
    }, Manifest.Json);
}
