using System.Text;
using Gate.Cli.SignOff;

namespace Gate.Cli.Render;

/// <summary>The verdict table for the console: section, item, status, checks; then the verdict.</summary>
public static class ConsoleTable
{
    public static string Render(SignOffReport r, bool color)
    {
        var rows = new List<(string Section, string Item, Status Status, string Checks)>();
        foreach (var s in r.Sections)
        {
            var first = true;
            foreach (var i in s.Items)
            {
                rows.Add((first ? $"{s.Section.Number}. {Cut(s.Section.Title, 30)}" : "",
                    $"{i.Item.Id} {Cut(i.Item.Title, 38)}", i.Status,
                    i.Checks.Count == 0 ? (i.Item.Verifiable ? "-" : "manual")
                        : string.Join(" ", i.Checks.Select(c => c.Status == Status.Passed ? c.Id : $"{c.Id}:{c.Status.Label()}"))));
                first = false;
            }
        }
        var w1 = Math.Max(7, rows.Max(x => x.Section.Length));
        var w2 = Math.Max(4, rows.Max(x => x.Item.Length));
        const int w3 = 11;
        var sb = new StringBuilder();
        sb.AppendLine($"{"SECTION".PadRight(w1)}  {"ITEM".PadRight(w2)}  {"STATUS".PadRight(w3)}  CHECKS");
        foreach (var (section, item, status, checks) in rows)
        {
            var label = status.Label().ToUpperInvariant().PadRight(w3);
            sb.AppendLine($"{section.PadRight(w1)}  {item.PadRight(w2)}  {Paint(label, status, color)}  {checks}");
        }
        sb.AppendLine();
        foreach (var w in r.Waivers.Where(w => w.State == WaiverState.Applied))
            sb.AppendLine($"waiver {w.Check}: {w.State.ToString().ToLowerInvariant()}: {w.Note}");
        foreach (var b in r.Blockers) sb.AppendLine($"  BLOCKING  {b.Text}");
        var head = Text.Headline(r);
        sb.AppendLine(color ? $"\u001b[1;{(r.Ship ? "32" : "31")}m{head}\u001b[0m" : head);
        return sb.ToString();
    }

    private static string Cut(string s, int max) => s.Length > max ? s[..(max - 1)] + "…" : s;

    private static string Paint(string s, Status status, bool color) => !color ? s : status switch
    {
        Status.Passed => $"\u001b[32m{s}\u001b[0m",
        Status.Failed => $"\u001b[1;31m{s}\u001b[0m",
        Status.Skipped or Status.NotRun or Status.NotCovered => $"\u001b[33m{s}\u001b[0m",
        Status.Waived => $"\u001b[35m{s}\u001b[0m",
        _ => $"\u001b[2m{s}\u001b[0m",
    };
}
