using FluentAssertions;
using Gate.Load;
using HdrHistogram;
using static LoadEngine.Tests.Helpers;

namespace LoadEngine.Tests;

public sealed class MergeTests(TestServer server)
{
    [Fact]
    public async Task Histogram_logs_of_two_agents_merge_into_exact_percentiles()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = Path.Combine(Path.GetTempPath(), "gate-load-merge", Guid.NewGuid().ToString("n"));
        // Two "agents" load the same scenario at once, each writing its own interval log.
        var runs = await Task.WhenAll(
            Runner(Get("api", server, "/delay/5", Simulation.ConstantRate(60, S(2.5)))).WithName("agent-a").WithReportFolder(Path.Combine(root, "a")).RunAsync(ct),
            Runner(Get("api", server, "/delay/20", Simulation.ConstantRate(40, S(2.5)))).WithName("agent-b").WithReportFolder(Path.Combine(root, "b")).RunAsync(ct));

        var logs = runs.Select(r => r.ReportFiles.Single(f => f.EndsWith(".hlog", StringComparison.Ordinal))).ToList();
        var merged = LoadLogMerge.Merge(logs);

        var expected = LatencyUnits.NewTotal();
        foreach (var r in runs) expected.Add(r.Scenario("api").Step("get").OkHistogram);
        var get = merged.Single(m => m.Scenario == "api" && m.Step == "get");
        get.Agents.Should().Be(2);
        get.Ok.TotalCount.Should().Be(expected.TotalCount).And.BeGreaterThan(200);
        Counts(get.Ok).Should().Equal(Counts(expected), "merging adds the agents' buckets one by one");
        foreach (var p in new[] { 50.0, 90, 95, 99, 99.9, 100 })
            get.Ok.GetValueAtPercentile(p).Should().Be(expected.GetValueAtPercentile(p), $"p{p} of the merge equals p{p} of all recordings");
        Log($"merged n={get.Ok.TotalCount} p50={get.PercentileMs(50)} ms p95={get.PercentileMs(95)} ms (agent a p95={runs[0].Scenario("api").Step("get").PercentileMs(95)}, b p95={runs[1].Scenario("api").Step("get").PercentileMs(95)})");
        get.PercentileMs(95).Should().BeGreaterThan(19, "40 % of the requests came from the agent whose server waits 20 ms");

        var files = LoadLogMerge.WriteReport(merged, logs, Path.Combine(root, "merged"));
        files.Select(Path.GetFileName).Should().Contain(["merged-summary.md", "merged-stats.csv", "merged-distribution.png", "merged-api-get.hgrm"]);
        File.ReadAllText(files[0]).Should().Contain("| api | get | 2 |");
    }

    private static List<(long Value, long Count)> Counts(HistogramBase h) =>
        h.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)).ToList();
}
