using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Gate.Cli.Inputs;

/// <summary>One entry of waivers.yaml: a failing check accepted until a date, with reason and owner.</summary>
public sealed record Waiver(int Entry, int Line, string Check, string Reason, string Owner, DateOnly Expires)
{
    /// <summary>A waiver is valid through its expiry date (UTC) and expired from the day after.</summary>
    public bool IsExpired(DateOnly today) => today > Expires;
}

/// <summary>A waivers.yaml problem that fails the verdict (malformed or expired entry).</summary>
public sealed record WaiverProblem(string File, int Line, int Entry, string? Check, string Problem)
{
    public override string ToString() =>
        $"{File}:{Line}: waiver entry {Entry}{(Check is null ? "" : $" ({Check})")}: {Problem}";
}

/// <summary>waivers.yaml: a YAML list of <c>{check, reason, owner, expires}</c>.</summary>
public sealed class WaiverFile
{
    private static readonly string[] Keys = ["check", "reason", "owner", "expires"];

    public required string? Path { get; init; }
    public required IReadOnlyList<Waiver> Waivers { get; init; }
    /// <summary>Malformed entries (the expired ones are judged against a date by the sign-off).</summary>
    public required IReadOnlyList<WaiverProblem> Problems { get; init; }

    public static WaiverFile None => new() { Path = null, Waivers = [], Problems = [] };

    public static WaiverFile Load(string path)
    {
        var name = path;
        if (!File.Exists(path)) throw new GateConfigException($"waivers file not found: {path}");
        var problems = new List<WaiverProblem>();
        var waivers = new List<Waiver>();
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            problems.Add(new WaiverProblem(name, (int)e.Start.Line, 0, null, $"not valid YAML: {e.Message}"));
            return new WaiverFile { Path = path, Waivers = waivers, Problems = problems };
        }
        catch (InvalidOperationException e)
        {
            problems.Add(new WaiverProblem(name, 1, 0, null, $"not valid YAML ({e.GetType().Name}): check brackets, quotes and indentation"));
            return new WaiverFile { Path = path, Waivers = waivers, Problems = problems };
        }
        if (yaml.Documents.Count == 0)
            return new WaiverFile { Path = path, Waivers = waivers, Problems = problems }; // only comments
        var root = yaml.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" or "~" or "null" })
            return new WaiverFile { Path = path, Waivers = waivers, Problems = problems };
        if (root is not YamlSequenceNode list)
        {
            problems.Add(new WaiverProblem(name, (int)root.Start.Line, 0, null,
                "the file must be a YAML list of {check, reason, owner, expires} entries ([] when empty)"));
            return new WaiverFile { Path = path, Waivers = waivers, Problems = problems };
        }

        var entry = 0;
        foreach (var node in list.Children)
        {
            entry++;
            var line = (int)node.Start.Line;
            if (node is not YamlMappingNode m)
            {
                problems.Add(new WaiverProblem(name, line, entry, null, "entry must be a mapping {check, reason, owner, expires}"));
                continue;
            }
            string? Get(string key) =>
                m.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value?.Trim() : null;

            var check = Get("check");
            var errors = new List<string>();
            foreach (var key in m.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").Where(k => !Keys.Contains(k)))
                errors.Add($"unknown key '{key}' (allowed: {string.Join(", ", Keys)})");
            if (string.IsNullOrEmpty(check)) errors.Add("'check' is missing");
            else if (!CheckName.IdPattern().IsMatch(check)) errors.Add($"'check' must be a check ID like TLS-007, not '{check}'");
            if (string.IsNullOrEmpty(Get("reason"))) errors.Add("'reason' is missing");
            if (string.IsNullOrEmpty(Get("owner"))) errors.Add("'owner' is missing");
            var expiresText = Get("expires");
            DateOnly expires = default;
            if (string.IsNullOrEmpty(expiresText)) errors.Add("'expires' is missing (a waiver without expiry is not accepted)");
            else if (!DateOnly.TryParseExact(expiresText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out expires))
                errors.Add($"'expires' must be a date yyyy-MM-dd, not '{expiresText}'");
            if (check is not null && errors.Count == 0 && waivers.FirstOrDefault(w => w.Check == check) is { } dup)
                errors.Add($"{check} is already waived by entry {dup.Entry} (line {dup.Line})");

            if (errors.Count > 0)
                problems.Add(new WaiverProblem(name, line, entry, string.IsNullOrEmpty(check) ? null : check, string.Join("; ", errors)));
            else
                waivers.Add(new Waiver(entry, line, check!, Get("reason")!, Get("owner")!, expires));
        }
        return new WaiverFile { Path = path, Waivers = waivers, Problems = problems };
    }
}
