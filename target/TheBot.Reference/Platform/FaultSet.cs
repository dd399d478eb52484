namespace TheBot.Reference.Platform;

/// <summary>
/// The named misconfigurations switched on for this run (THEBOT_FAULTS=a,b or --faults=a,b).
/// Every name must be declared in <see cref="Fault"/>; an unknown one stops start-up, so a typo
/// can never make a fault-matrix row pass silently.
/// </summary>
public sealed class FaultSet
{
    private readonly HashSet<string> _active;

    private FaultSet(HashSet<string> active) => _active = active;

    public IReadOnlyCollection<string> Active => _active;

    public bool Has(string fault) => _active.Contains(fault);

    public static FaultSet Parse(string spec)
    {
        var names = spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !Fault.All.Contains(n)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"THEBOT_FAULTS names unknown fault(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", Fault.All.Order())}.");
        return new FaultSet(names.ToHashSet(StringComparer.Ordinal));
    }
}
