using System.Text.RegularExpressions;

namespace Gate.SelfTests;

/// <summary>One row of target/FAULTS.md: a fault and the checks that must fail when it is on.</summary>
public sealed record FaultRow(string Fault, IReadOnlyList<string> MustFail, string Breaks)
{
    public override string ToString() => Fault;
}

/// <summary>
/// target/FAULTS.md is both documentation and the fault matrix's specification: its table's
/// "Fault" column names the fault and its "Must fail" column lists the check IDs that catch it.
/// </summary>
public static partial class FaultMatrix
{
    public static string FaultsFile => Path.Combine(SuiteRunner.Root, "target", "FAULTS.md");

    public static IReadOnlyList<FaultRow> Read()
    {
        var rows = new List<FaultRow>();
        int faultCol = -1, mustFailCol = -1, breaksCol = -1;
        foreach (var line in File.ReadLines(FaultsFile))
        {
            if (!line.TrimStart().StartsWith('|')) { faultCol = -1; continue; }
            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (faultCol < 0)
            {
                faultCol = Array.FindIndex(cells, c => c.Equals("Fault", StringComparison.OrdinalIgnoreCase));
                mustFailCol = Array.FindIndex(cells, c => c.Equals("Must fail", StringComparison.OrdinalIgnoreCase));
                breaksCol = Array.FindIndex(cells, c => c.StartsWith("Breaks", StringComparison.OrdinalIgnoreCase) || c.StartsWith("What it breaks", StringComparison.OrdinalIgnoreCase));
                if (mustFailCol < 0) faultCol = -1;
                continue;
            }
            if (cells.All(c => c.Trim('-', ':').Length == 0) || faultCol >= cells.Length || mustFailCol >= cells.Length) continue;
            var name = FaultName().Match(cells[faultCol]);
            var fault = name.Success ? name.Groups[1].Value : cells[faultCol].Trim('`', ' ');
            if (fault.Length == 0) continue;
            rows.Add(new FaultRow(fault, CheckId().Matches(cells[mustFailCol]).Select(m => m.Value).Distinct().ToList(),
                breaksCol >= 0 && breaksCol < cells.Length ? cells[breaksCol] : ""));
        }
        return rows;
    }

    /// <summary>The backticked fault name at the start of the cell (`db-without-ssl` *(env)*).</summary>
    [GeneratedRegex(@"^`([a-z0-9-]+)`")]
    private static partial Regex FaultName();

    [GeneratedRegex(@"\b[A-Z]{2,5}-\d{3}\b")]
    private static partial Regex CheckId();
}
