using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using Gate.Fixtures.Settings;

namespace Gate.SelfTests;

/// <summary>One check's outcome from a suite run (xUnit's own XML report, which keeps traits).</summary>
public sealed record CheckOutcome(string Check, string DisplayName, string Result, string Message)
{
    public bool Failed => Result == "Fail";
    public bool Passed => Result == "Pass";
}

public sealed record SuiteRun(string Suite, int ExitCode, IReadOnlyList<CheckOutcome> Outcomes, string Output, TimeSpan Elapsed)
{
    public IEnumerable<string> FailedChecks => Outcomes.Where(o => o.Failed).Select(o => o.Check).Distinct().Order();
}

/// <summary>
/// Runs a gate suite's test executable (xUnit v3 in-process runner) as a child process with the
/// given GATE_* environment, the way an operator would, and reads its xUnit XML report.
/// </summary>
public static class SuiteRunner
{
    /// <summary>Suite a check ID belongs to, by its prefix (CONTRIBUTING.md).</summary>
    public static string SuiteOf(string checkId) => checkId.Split('-')[0] switch
    {
        "SMK" => "Smoke",
        "CFG" or "TLS" or "HDR" or "HST" or "OWA" or "API" or "HRD" => "Security",
        "DB" or "RDS" or "IMG" or "CMP" or "NGX" or "OBS" or "BAK" => "Operations",
        "UAT" => "Uat",
        "LOAD" => "Load",
        var other => throw new ArgumentException($"check ID '{checkId}' has no known suite prefix ({other})"),
    };

    public static string Root => RepositoryRoot.Find() ?? throw new InvalidOperationException("run the self tests from a checkout (Acceptance.sln not found)");

    /// <summary>
    /// The suite's test executable: the one assembly in its output folder with a runtimeconfig
    /// (libraries such as the load engine's Gate.Load.dll sit beside it without one).
    /// </summary>
    public static string? AssemblyOf(string suite)
    {
        var dir = Path.Combine(Root, "artifacts", "bin", suite, Configuration);
        if (!Directory.Exists(dir)) return null;
        return Directory.GetFiles(dir, "Gate.*.runtimeconfig.json")
            .Select(f => f[..^".runtimeconfig.json".Length] + ".dll")
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The build configuration of this test assembly (debug or release), so suites match it.</summary>
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Name;

    public static IReadOnlyList<string> BuiltSuites =>
        new[] { "Smoke", "Security", "Operations", "Uat", "Load" }.Where(s => AssemblyOf(s) is not null).ToList();

    public static async Task<SuiteRun> RunAsync(string suite, IDictionary<string, string?> environment, IEnumerable<string>? checks = null,
        TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var assembly = AssemblyOf(suite) ?? throw new InvalidOperationException($"suite {suite} is not built (dotnet build Acceptance.sln)");
        var xml = Path.Combine(Path.GetTempPath(), $"gate-selftest-{Guid.NewGuid():N}.xml");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { assembly, "-xml", xml, "-noLogo", "-noColor", "-reporter", "quiet" }) psi.ArgumentList.Add(a);
        foreach (var check in checks ?? []) { psi.ArgumentList.Add("-trait"); psi.ArgumentList.Add($"Check={check}"); }
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("GATE_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        psi.Environment["GATE_RESULTS_DIR"] = Path.Combine(Path.GetTempPath(), $"gate-selftest-results-{Guid.NewGuid():N}");
        foreach (var (k, v) in environment) psi.Environment[k] = v;

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"suite {suite} did not finish within {(timeout ?? TimeSpan.FromMinutes(5)).TotalSeconds:F0} s");
        }
        var output = await stdout + await stderr;
        var outcomes = File.Exists(xml) ? Parse(XDocument.Load(xml)) : [];
        File.Delete(xml);
        try { Directory.Delete(psi.Environment["GATE_RESULTS_DIR"]!, recursive: true); } catch (IOException) { }
        return new SuiteRun(suite, process.ExitCode, outcomes, output, stopwatch.Elapsed);
    }

    private static List<CheckOutcome> Parse(XDocument doc) =>
        doc.Descendants("test").Select(t => new CheckOutcome(
                t.Descendants("trait").FirstOrDefault(tr => (string?)tr.Attribute("name") == "Check")?.Attribute("value")?.Value ?? "",
                (string?)t.Attribute("name") ?? "",
                (string?)t.Attribute("result") ?? "",
                (t.Element("failure")?.Element("message")?.Value ?? t.Element("reason")?.Value ?? "").Trim()))
            .ToList();

    /// <summary>Every check a suite declares, from the runner's own discovery listing (traits included).</summary>
    public static async Task<IReadOnlyList<(string Suite, string Id, string[] Items, string DisplayName)>> ListAsync(string suite)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { AssemblyOf(suite)!, "-list", "full/json", "-noColor", "-noLogo" }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var json = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        using var doc = JsonDocument.Parse(json[json.IndexOf('[')..(json.LastIndexOf(']') + 1)]);
        return doc.RootElement.EnumerateArray().Select(t =>
        {
            var traits = t.GetProperty("Traits");
            string[] Values(string name) => traits.TryGetProperty(name, out var v) ? v.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
            return (suite, Values("Check").FirstOrDefault() ?? "", Values("Checklist"), t.GetProperty("DisplayName").GetString()!);
        }).ToList();
    }
}
