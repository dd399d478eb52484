using Gate.Cli.Inputs;

namespace Gate.Cli.Commands;

/// <summary><c>summary &lt;dir&gt;</c>: "P passed, F failed, S skipped" from all trx Counters; exit 3 when no test ran.</summary>
public static class SummaryCommand
{
    public static int Run(Args a, TextWriter stdout, TextWriter stderr)
    {
        a.RejectUnknown(maxPositional: 1);
        if (a.Positional.Count != 1) throw new GateConfigException("summary: usage: gate-cli summary <results-dir>");
        var dir = a.Positional[0];
        if (!Directory.Exists(dir)) throw new GateConfigException($"summary: results folder not found: {dir}");
        var counters = ResultsFolder.TrxPaths(dir).Select(TrxFile.Load).Select(t => t.Counters).ToList();
        var total = counters.Sum(c => c.Total);
        stdout.WriteLine($"{counters.Sum(c => c.Passed)} passed, {counters.Sum(c => c.NotPassed)} failed, {counters.Sum(c => c.Skipped)} skipped");
        if (total > 0) return 0;
        stderr.WriteLine(counters.Count == 0 ? $"gate-cli: no trx file in {dir}: no test ran" : $"gate-cli: no test ran (trx files in {dir} hold no result)");
        return Program.NoTests;
    }
}
