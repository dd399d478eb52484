using Gate.Cli.SignOff;

namespace Gate.Cli.Render;

/// <summary>Small formatting helpers shared by the renderers.</summary>
public static class Text
{
    public static string Icon(this Status s) => s switch
    {
        Status.Passed => "✅",
        Status.Failed => "❌",
        Status.Skipped => "⏭️",
        Status.NotRun => "⛔",
        Status.NotCovered => "⚠️",
        Status.Waived => "🟡",
        Status.Manual => "📝",
        _ => "",
    };

    public static string Plural(int n, string word) =>
        $"{n} {(n == 1 ? word : word.EndsWith('y') && !word.EndsWith("ey") ? word[..^1] + "ies" : word + "s")}";

    public static string Counts(SignOffReport r) =>
        $"{r.Passed} passed, {r.Failed} failed, {r.Skipped} skipped";

    public static string Time(DateTimeOffset? t) => t?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'") ?? "?";

    public static string Duration(TimeSpan d) =>
        d.TotalSeconds < 1 ? $"{d.TotalMilliseconds:0} ms" : d.TotalMinutes < 1 ? $"{d.TotalSeconds:0.0} s" : $"{(int)d.TotalMinutes} min {d.Seconds} s";

    /// <summary>A link from the report folder to an attachment, '/'-separated and URL-escaped.</summary>
    public static string Link(string fromDir, string file) =>
        string.Join('/', Path.GetRelativePath(Path.GetFullPath(fromDir), Path.GetFullPath(file))
            .Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString).Select(s => s == "%2E%2E" ? ".." : s));

    public static string FirstLine(string? s, int max = 160)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var line = s.Split('\n')[0].TrimEnd('\r');
        return line.Length > max ? line[..(max - 1)] + "…" : line;
    }

    /// <summary>All lines of a text on one line (" / " between them), cut at <paramref name="max"/>.</summary>
    public static string OneLine(string? s, int max)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var line = string.Join(" / ", s.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length > max ? line[..(max - 1)] + "…" : line;
    }

    public static string Headline(SignOffReport r) => r.Ship
        ? $"SHIP: every required check passed or is waived ({Counts(r)})"
            + (r.UncoveredAllowed > 0 ? $"; {Plural(r.UncoveredAllowed, "verifiable item")} without checks allowed by --allow-uncovered" : "")
        : $"DO NOT SHIP: {Plural(r.Blockers.Count, "blocking problem")} ({Counts(r)})";
}
