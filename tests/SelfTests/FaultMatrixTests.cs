using FluentAssertions;
using Xunit;

namespace Gate.SelfTests;

/// <summary>
/// The fault matrix: for every fault of the reference platform, the gate's suites run against the
/// platform with that fault on; exactly the checks FAULTS.md maps to it must fail, and every other
/// check of those suites must still pass. The healthy profile is the suites' own green run.
/// </summary>
public sealed class FaultMatrixTests
{
    /// <summary>Browser and load suites run only their mapped checks: a full run per fault would not fit the CI budget.</summary>
    private static readonly HashSet<string> MappedOnly = ["Uat", "Load"];

    public static TheoryData<string> Faults() => new(FaultMatrix.Read().Select(r => r.Fault));

    [Fact]
    public void FAULTS_md_is_a_parsable_matrix()
    {
        var rows = FaultMatrix.Read();

        rows.Should().NotBeEmpty($"{FaultMatrix.FaultsFile} must hold a table with 'Fault' and 'Must fail' columns");
        rows.Select(r => r.Fault).Should().OnlyHaveUniqueItems();
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task The_mapped_checks_fail_and_the_others_pass(string fault)
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
            var run = await SuiteRunner.RunAsync(suite.Key, new Dictionary<string, string?> { ["GATE_FAULTS"] = fault },
                checks: MappedOnly.Contains(suite.Key) ? expected : null, ct: TestContext.Current.CancellationToken);
            var failed = run.FailedChecks.ToList();
            var verdict = failed.SequenceEqual(expected) ? "ok" : "MISMATCH";
            report.Add($"| `{fault}` | {suite.Key} | {string.Join(", ", expected)} | {string.Join(", ", failed)} | {verdict} | {run.Elapsed.TotalSeconds:F0} s |");
            Record(report[^1]);

            run.Outcomes.Should().NotBeEmpty($"suite {suite.Key} must run under fault '{fault}':\n{Tail(run.Output)}");
            expected.Except(failed).Should().BeEmpty($"fault '{fault}' must make these {suite.Key} checks fail (FAULTS.md), but they did not");
            var unexpected = run.Outcomes.Where(o => o.Failed && !expected.Contains(o.Check)).Select(o => $"{o.DisplayName}: {o.Message}").ToList();
            unexpected.Should().BeEmpty($"under fault '{fault}' only the mapped checks may fail; add them to FAULTS.md if the fault really breaks them");
        }
        foreach (var line in report) TestContext.Current.TestOutputHelper?.WriteLine(line);
    }

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
