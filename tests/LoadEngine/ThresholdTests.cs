using FluentAssertions;
using Gate.Load;
using static LoadEngine.Tests.Helpers;

namespace LoadEngine.Tests;

public sealed class ThresholdTests(TestServer server)
{
    [Fact]
    public async Task Arrivals_without_a_free_slot_are_counted_as_dropped_and_fail_the_threshold()
    {
        // 4 slots x (1 / 200 ms) = 20/s capacity against 100 arrivals/s for 1 s: ~80 dropped.
        var scenario = Get("saturated", server, "/delay/200", Simulation.ConstantRate(100, S(1), maxConcurrency: 4))
            .WithThresholds(Threshold.NoDroppedIterations());
        var result = await Runner(scenario).RunAsync(TestContext.Current.CancellationToken);

        var stats = result.Scenario("saturated");
        Log($"dropped={stats.Dropped} completed={stats.Iterations.Total}");
        stats.Dropped.Should().BeInRange(70, 90);
        (stats.Dropped + stats.Iterations.Total).Should().Be(100, "every arrival either ran or was dropped");
        result.Passed.Should().BeFalse();
        result.Failures.Should().Contain($"scenario 'saturated': dropped iterations = {stats.Dropped} (no free slot at the intended start; open-model stages constant 100/s for 1s (max 4 in flight)), limit = 0");
    }

    [Fact]
    public async Task Threshold_failures_name_the_scope_the_measured_value_and_the_limit()
    {
        var slow = Get("slow", server, "/delay/50", Simulation.ConstantRate(40, S(2)))
            .WithThresholds(Threshold.P95Below(Ms(20)));
        var flaky = Get("flaky", server, "/fail-every/10", Simulation.ConstantRate(100, S(2)))
            .WithThresholds(Threshold.ErrorRateBelow(0.001));
        var healthy = Get("healthy", server, "/fast", Simulation.ConstantRate(100, S(2)))
            .WithThresholds(Threshold.Checklist());
        var result = await Runner(slow, flaky, healthy)
            .WithResourceSampler(_ => ValueTask.FromResult(new ResourceSample(CpuPercent: 90, MemoryPercent: 12.5)), "fake sampler")
            .WithThresholds(Threshold.ChecklistResources())
            .WithReportFolder(Path.Combine(Path.GetTempPath(), "gate-load-selftest", Guid.NewGuid().ToString("n")))
            .RunAsync(TestContext.Current.CancellationToken);

        foreach (var f in result.Failures) Log(f);
        var s = result.Scenario("slow").Step("get");
        result.Failures.Should().Contain($"scenario 'slow' step 'get': p95 latency of successful requests = {s.PercentileMs(95):0.#} ms, limit < 20 ms ({s.Ok} ok, 0 failed)");
        result.Failures.Should().Contain(m => m.StartsWith("scenario 'slow': p95 latency of successful requests = ", StringComparison.Ordinal));

        var f2 = result.Scenario("flaky").Step("get");
        f2.Failed.Should().BeGreaterThan(0);
        result.Failures.Should().Contain($"scenario 'flaky' step 'get': error rate = {f2.ErrorRate * 100:0.###} % ({f2.Failed} of {f2.Total} failed), limit < 0.1 %; most frequent: HTTP 500 x{f2.Failed}");
        f2.ErrorRate.Should().BeApproximately(0.1, 0.03, "every 10th request on the server answers 500");

        result.Thresholds.Where(t => t.Scope.StartsWith("scenario 'healthy'", StringComparison.Ordinal)).Should().OnlyContain(t => t.Passed)
            .And.HaveCount(6, "3 checklist thresholds x (step + whole iteration)");

        result.Failures.Should().Contain(m => m.StartsWith("target CPU mean = 90 % (peak 90 %, ", StringComparison.Ordinal) && m.EndsWith("samples from fake sampler), limit < 80 %", StringComparison.Ordinal));
        result.Thresholds.Single(t => t.Threshold.StartsWith("target memory", StringComparison.Ordinal)).Passed.Should().BeTrue();

        // Reports are a by-product of the same run.
        var names = result.ReportFiles.Select(Path.GetFileName).ToList();
        names.Should().Contain(["load.hlog", "load-summary.md", "load-result.json", "load-stats.csv", "load-timeline.csv", "load-report.html",
            "load-latency.png", "load-throughput.png", "load-errors.png", "load-distribution.png", "load-resources.png", "load-slow-get.hgrm"]);
        result.ReportFiles.Should().OnlyContain(f => new FileInfo(f).Length > 0);
        File.ReadAllText(result.ReportFiles.Single(f => f.EndsWith("load-report.html", StringComparison.Ordinal))).Should().Contain("<img src=\"load-latency.png\"");
        File.ReadAllText(result.ReportFiles.Single(f => f.EndsWith("load-summary.md", StringComparison.Ordinal))).Should().Contain("**FAIL**: scenario 'flaky' step 'get': error rate");
    }

    [Fact]
    public async Task A_missing_resource_sampler_fails_resource_thresholds_instead_of_passing_them()
    {
        var result = await Runner(Get("quick", server, "/fast", Simulation.ConstantRate(10, S(0.5))))
            .WithThresholds(Threshold.CpuBelow(80))
            .RunAsync(TestContext.Current.CancellationToken);
        result.Failures.Should().ContainSingle().Which.Should().Be("target CPU: no sample was taken (no resource sampler configured), limit < 80 %");
    }

    [Fact]
    public async Task A_step_that_throws_counts_as_a_failure_with_its_error_kind()
    {
        var scenario = Scenario.Create("throws")
            .WithStep("boom", _ => throw new InvalidOperationException("boom"))
            .WithLoadSimulations(Simulation.ConstantRate(20, S(0.5)))
            .WithThresholds(Threshold.ErrorRateBelow(0.001).ForStep("boom"));
        var result = await Runner(scenario).RunAsync(TestContext.Current.CancellationToken);
        var step = result.Scenario("throws").Step("boom");
        step.Failed.Should().Be(10);
        step.Errors.Should().ContainKey("InvalidOperationException");
        result.Failures.Should().ContainSingle().Which.Should().StartWith("scenario 'throws' step 'boom': error rate = 100 % (10 of 10 failed)");
    }
}
