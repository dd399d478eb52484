namespace Gate.Cli;

/// <summary>Minimal argument parsing: <c>--name value</c>, <c>--flag</c>, positionals.</summary>
public sealed class Args
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    public List<string> Positional { get; } = [];
    public string Command { get; }

    public Args(string command, IEnumerable<string> args, IReadOnlySet<string> flags)
    {
        Command = command;
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var a = e.Current;
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--") { Positional.Add(a); continue; }
            var eq = a.IndexOf('=');
            var name = eq > 0 ? a[2..eq] : a[2..];
            string? value;
            if (flags.Contains(name)) value = eq > 0 ? a[(eq + 1)..] : "true";
            else if (eq > 0) value = a[(eq + 1)..];
            else if (e.MoveNext()) value = e.Current;
            else throw new GateConfigException($"{command}: option --{name} needs a value");
            if (!_options.TryAdd(name, value)) throw new GateConfigException($"{command}: option --{name} given twice");
        }
    }

    public string? Get(string name) { _used.Add(name); return _options.GetValueOrDefault(name); }

    public string Require(string name) =>
        Get(name) is { Length: > 0 } v ? v : throw new GateConfigException($"{Command}: --{name} is required (see gate-cli help)");

    public bool Flag(string name) => Get(name) is "true" or "1" or "yes";

    public int Int(string name)
    {
        var v = Require(name);
        return int.TryParse(v, out var n) ? n : throw new GateConfigException($"{Command}: --{name} must be a whole number, not '{v}'");
    }

    /// <summary>Call after all Get/Require: rejects options the command does not know.</summary>
    public void RejectUnknown(int maxPositional = 0)
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new GateConfigException($"{Command}: unknown option --{unknown[0]} (see gate-cli help)");
        if (Positional.Count > maxPositional)
            throw new GateConfigException($"{Command}: unexpected argument '{Positional[maxPositional]}' (see gate-cli help)");
    }
}
