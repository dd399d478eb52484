using System.Text;
using Gate.Cli.SignOff;

namespace Gate.Cli.Render;

/// <summary>The sign-off as Markdown: the full report (signoff.md) or its summary (GitHub step summary).</summary>
public static class MarkdownReport
{
    public static string Render(SignOffReport r, string outDir, bool summaryOnly = false)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Release sign-off: {r.Verdict}").AppendLine();
        md.AppendLine($"> {(r.Ship ? "✅" : "❌")} **{Text.Headline(r)}**").AppendLine();

        if (r.Blockers.Count > 0)
        {
            md.AppendLine("## Blocking the release").AppendLine();
            foreach (var b in r.Blockers) md.AppendLine($"1. {Inline(b.Text)}");
            md.AppendLine();
        }

        md.AppendLine("## Run").AppendLine();
        md.AppendLine("| | |").AppendLine("|---|---|");
        md.AppendLine($"| Checklist | {Cell(r.CatalogSource)} version {Cell(r.CatalogVersion)} |");
        md.AppendLine($"| Results | `{Cell(r.ResultsDir)}` |");
        md.AppendLine($"| Run | {Text.Time(r.RunStart)} to {Text.Time(r.RunFinish)} |");
        md.AppendLine($"| Generated | {Text.Time(r.GeneratedAt)} |");
        md.AppendLine($"| Suites | {(r.Suites.Count == 0 ? "none" : string.Join("; ", r.Suites.Select(s => $"{s.Suite}: {s.Passed} passed, {s.Failed} failed, {s.Skipped} skipped")))} |");
        md.AppendLine($"| Waivers | {(r.WaiversPath is null ? "none" : $"`{Cell(r.WaiversPath)}`")}: {Text.Plural(r.Waivers.Count, "entry")} |");
        md.AppendLine();

        md.AppendLine("## Checklist").AppendLine();
        md.AppendLine("| Item | Status | Checks | Signer |").AppendLine("|---|---|---|---|");
        foreach (var s in r.Sections)
        {
            md.AppendLine($"| **{s.Section.Number}. {Cell(s.Section.Title)}** | | | |");
            foreach (var i in s.Items)
                md.AppendLine($"| {i.Item.Id} {Cell(i.Item.Title)} | {Status(i)} | {CheckList(i)} | {Cell(i.Item.Signer)} |");
        }
        md.AppendLine();

        if (summaryOnly)
        {
            var notPassed = r.Checks.Where(c => c.Status is not SignOff.Status.Passed).ToList();
            if (notPassed.Count > 0)
            {
                md.AppendLine("## Checks that did not pass").AppendLine();
                md.AppendLine("| Check | Severity | Status | Message |").AppendLine("|---|---|---|---|");
                foreach (var c in notPassed)
                    md.AppendLine($"| {c.Id} {Cell(c.Title)} | {c.Severity} | {c.Status.Icon()} {c.Status.Label()}{(c.Required ? "" : " (optional)")} | {Cell(Text.OneLine(c.Message, 300))} |");
                md.AppendLine();
            }
            Waivers(md, r);
            md.AppendLine("The full report (HTML with evidence and attachments) is in the job's artifacts.");
            return md.ToString();
        }

        md.AppendLine("## Items in detail").AppendLine();
        var shown = new Dictionary<string, string>();
        foreach (var s in r.Sections)
        {
            md.AppendLine($"### {s.Section.Number}. {s.Section.Title}").AppendLine();
            foreach (var i in s.Items)
            {
                md.AppendLine($"#### {i.Item.Id} {i.Item.Title}: {Status(i)}").AppendLine();
                if (!i.Item.Verifiable)
                    md.AppendLine($"Manual, signed by the {i.Item.Signer}: {i.Item.Manual}").AppendLine();
                else
                    md.AppendLine($"Expected: {i.Item.Expect}. Signer: {i.Item.Signer}.").AppendLine();
                if (i.Checks.Count == 0)
                {
                    if (i.Item.Verifiable) md.AppendLine("No check covers this item.").AppendLine();
                    continue;
                }
                foreach (var c in i.Checks)
                {
                    if (shown.TryGetValue(c.Id, out var first))
                        md.AppendLine($"- **{c.Id}** {Inline(c.Title)}: {c.Status.Icon()} {c.Status.Label()} (details under {first})");
                    else
                    {
                        Check(md, c, outDir);
                        shown[c.Id] = i.Item.Id;
                    }
                }
                md.AppendLine();
            }
        }

        if (r.OutsideCatalog.Count > 0)
        {
            md.AppendLine("## Checks outside the checklist").AppendLine();
            foreach (var c in r.OutsideCatalog) Check(md, c, outDir);
            md.AppendLine();
        }
        if (r.OtherTests.Count > 0)
        {
            md.AppendLine("## Tests without a check ID").AppendLine();
            foreach (var g in r.OtherTests.GroupBy(t => t.Suite))
                md.AppendLine($"- {Inline(g.Key)}: {g.Count(t => t.Outcome == Inputs.Outcome.Passed)} passed, "
                    + $"{g.Count(t => t.Outcome == Inputs.Outcome.Failed)} failed, {g.Count(t => t.Outcome == Inputs.Outcome.Skipped)} skipped");
            var failing = r.OtherTests.Where(t => t.Outcome == Inputs.Outcome.Failed).ToList();
            if (failing.Count > 0)
            {
                md.AppendLine().AppendLine("| Suite | Failed test | Message |").AppendLine("|---|---|---|");
                foreach (var t in failing)
                    md.AppendLine($"| {Cell(t.Suite)} | {Cell(t.DisplayName)} | {Cell(Text.OneLine(t.Message, 300))} |");
            }
            md.AppendLine();
        }
        Waivers(md, r);
        if (r.Notes.Count > 0)
        {
            md.AppendLine("## Notes").AppendLine();
            foreach (var n in r.Notes) md.AppendLine($"- {Inline(n)}");
            md.AppendLine();
        }

        md.AppendLine("## Sign-off").AppendLine();
        md.AppendLine("| Role | Items owned | Manual items to confirm | Name | Date |").AppendLine("|---|---|---|---|---|");
        foreach (var (role, items) in r.Signers)
        {
            var manual = items.Where(i => !i.Verifiable).Select(i => i.Id).ToList();
            md.AppendLine($"| {role} | {items.Count} | {(manual.Count == 0 ? "none" : string.Join(", ", manual))} | | |");
        }
        md.AppendLine();
        return md.ToString();
    }

    private static void Check(StringBuilder md, CheckRun c, string outDir)
    {
        md.AppendLine($"- **{c.Id}** {Inline(c.Title)} ({c.Severity}{(c.Required ? "" : ", optional")}, {c.Suite}): {c.Status.Icon()} {c.Status.Label()}"
            + (c.Results.Count > 1 ? $" ({c.Results.Count} results)" : ""));
        if (c.Waiver is { } w)
            md.AppendLine($"  - waived until {w.Expires:yyyy-MM-dd} by {Inline(w.Owner)}: {Inline(w.Reason)} (outcome: {c.WaivedStatus!.Value.Label()})");
        if (!string.IsNullOrEmpty(c.Message))
            md.AppendLine($"  - message: {Inline(Text.OneLine(c.Message, 600))}");
        foreach (var (k, v) in c.Evidence)
            md.AppendLine($"  - `{k}`: {Inline(v)}");
        foreach (var a in c.Attachments)
            md.AppendLine($"  - attachment: [{Inline(Path.GetFileName(a))}]({Text.Link(outDir, a)})");
    }

    private static void Waivers(StringBuilder md, SignOffReport r)
    {
        if (r.Waivers.Count == 0) return;
        md.AppendLine("## Waivers").AppendLine();
        md.AppendLine("| Check | State | Owner | Expires | Reason | Note |").AppendLine("|---|---|---|---|---|---|");
        foreach (var w in r.Waivers)
            md.AppendLine($"| {Cell(w.Check)} | {w.State.ToString().ToLowerInvariant()} | {Cell(w.Owner)} | {w.Expires} | {Cell(w.Reason)} | {Cell(w.Note)} |");
        md.AppendLine();
    }

    private static string Status(ItemResult i) =>
        $"{i.Status.Icon()} {i.Status.Label()}{(i.HasWarnings ? " (warnings)" : "")}";

    private static string CheckList(ItemResult i) =>
        i.Checks.Count == 0 ? (i.Item.Verifiable ? "none" : "manual")
            : string.Join(", ", i.Checks.Select(c => c.Status == SignOff.Status.Passed ? c.Id : $"{c.Id} {c.Status.Label()}"));

    /// <summary>Text inside a table cell: no pipes, no raw HTML, no line breaks.</summary>
    private static string Cell(string? s) => Inline(s).Replace("|", "\\|");

    private static string Inline(string? s) =>
        (s ?? "").Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;")
            .Replace("\r", "").Replace("\n", " ").Trim();
}
