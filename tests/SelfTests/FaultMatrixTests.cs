using FluentAssertions;
using Xunit;

namespace Gate.SelfTests;

/// <summary>
/// The fault matrix: for every fault of the reference platform, the gate's suites run against the
/// platform with that fault on; exactly the checks FAULTS.md maps to it must fail, and every other
/// check of those suites must still pass. The healthy profile is the suites' own green run.
/// </summary>
public abstract class FaultMatrixTests
{
    /// <summary>
    /// Smoke runs whole under every fault (it is cheap and broad). Other suites run their mapped
    /// checks plus a few unmapped control checks of the same suite: a whole run per fault would
    /// not fit the CI budget; GATE_MATRIX_SCOPE=full runs them whole.
    /// </summary>
    private const int ControlChecks = 3;

    /// <summary>
    /// Suites whose every check is timed (load thresholds, browser waits) run their mapped checks
    /// only: as controls beside the other shard they would measure the matrix, not the fault.
    /// </summary>
    private static readonly HashSet<string> TimingBound = ["Load", "Uat"];
    private static readonly bool Full = Environment.GetEnvironmentVariable("GATE_MATRIX_SCOPE") == "full";

    /// <summary>Rows are split over shards (test classes) so two faults run at once.</summary>
    public const int Shards = 2;

    public static TheoryData<string> Faults(int shard) =>
        new(FaultMatrix.Read().Where((_, i) => i % Shards == shard).Select(r => r.Fault));


    protected async Task RunRowAsync(string fault)
    {
        var row = FaultMatrix.Read().Single(r => r.Fault == fault);
        Assert.SkipWhen(row.MustFail.Count == 0, $"no check is mapped to fault '{fault}' yet in target/FAULTS.md");
        var suites = row.MustFail.GroupBy(SuiteRunner.SuiteOf).ToList();
        var unbuilt = suites.Select(g => g.Key).Where(s => SuiteRunner.AssemblyOf(s) is null).ToList();
        Assert.SkipWhen(unbuilt.Count > 0, $"suite(s) {string.Join(", ", unbuilt)} not built");

        var report = new List<string>();
        foreach (var suite in suites)
        {
            var expected = suite.Order().ToList();
            var selection = Full || suite.Key == "Smoke" ? null
                : TimingBound.Contains(suite.Key) ? expected
                : expected.Concat(await ControlsAsync(suite.Key, expected)).ToList();
            var run = await SuiteRunner.RunAsync(suite.Key, new Dictionary<string, string?> { ["GATE_FAULTS"] = fault },
                checks: selection, ct: TestContext.Current.CancellationToken);
            var failed = run.FailedChecks.ToList();
            var verdict = failed.SequenceEqual(expected) ? "ok" : "MISMATCH";
            report.Add($"| `{fault}` | {suite.Key} | {string.Join(", ", expected)} | {string.Join(", ", failed)} | {verdict} | {run.Elapsed.TotalSeconds:F0} s |");
            Record(report[^1]);

            run.Outcomes.Should().NotBeEmpty($"suite {suite.Key} must run under fault '{fault}':\n{Tail(run.Output)}");
            run.Outcomes.Where(o => o.Message.StartsWith("embedded default:", StringComparison.Ordinal)).Select(o => o.Message).Distinct()
                .Should().BeEmpty($"the environment must start under fault '{fault}' (a check failing because nothing started proves nothing)");
            expected.Except(failed).Should().BeEmpty($"fault '{fault}' must make these {suite.Key} checks fail (FAULTS.md), but they did not");
            var unexpected = run.Outcomes.Where(o => o.Failed && !expected.Contains(o.Check)).Select(o => $"{o.DisplayName}: {o.Message}").ToList();
            unexpected.Should().BeEmpty($"under fault '{fault}' only the mapped checks may fail; add them to FAULTS.md if the fault really breaks them");
        }
        foreach (var line in report) TestContext.Current.TestOutputHelper?.WriteLine(line);
    }

    /// <summary>Up to three checks of the suite that the fault must leave passing (the lowest unmapped IDs).</summary>
    private static async Task<IEnumerable<string>> ControlsAsync(string suite, IReadOnlyCollection<string> mapped) =>
        (await SuiteRunner.ListAsync(suite)).Select(c => c.Id).Distinct().Where(id => !mapped.Contains(id)).Order().Take(ControlChecks);

    private static readonly Lock FileGate = new();

    /// <summary>Appends the row to &lt;results&gt;/fault-matrix.md, which the gate prints as a table.</summary>
    private static void Record(string row)
    {
        var path = Path.Combine(TraceabilityTests.ResultsDirectory, "fault-matrix.md");
        lock (FileGate)
        {
            Directory.CreateDirectory(TraceabilityTests.ResultsDirectory);
            if (!File.Exists(path))
                File.WriteAllText(path, "| Fault | Suite | Must fail | Failed | Verdict | Time |\n|---|---|---|---|---|---|\n");
            File.AppendAllText(path, row + "\n");
        }
    }

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(8));
}

public sealed class FaultMatrixShard0 : FaultMatrixTests
{
    [Theory]
    [MemberData(nameof(Faults), 0)]
    public Task The_mapped_checks_fail_and_the_others_pass(string fault) => RunRowAsync(fault);
}

public sealed class FaultMatrixShard1 : FaultMatrixTests
{
    [Theory]
    [MemberData(nameof(Faults), 1)]
    public Task The_mapped_checks_fail_and_the_others_pass(string fault) => RunRowAsync(fault);
}

public sealed class FaultMatrixFileTests
{
    [Fact]
    public void FAULTS_md_is_a_parsable_matrix()
    {
        var rows = FaultMatrix.Read();

        rows.Should().NotBeEmpty($"{FaultMatrix.FaultsFile} must hold a table with 'Fault' and 'Must fail' columns");
        rows.Select(r => r.Fault).Should().OnlyHaveUniqueItems();
    }
}
