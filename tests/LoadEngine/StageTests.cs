using System.Diagnostics;
using FluentAssertions;
using Gate.Load;
using HdrHistogram;
using static LoadEngine.Tests.Helpers;

namespace LoadEngine.Tests;

public sealed class StageTests(TestServer server)
{
    [Fact]
    public async Task Consecutive_open_stages_form_one_schedule_without_a_pause_for_in_flight_iterations()
    {
        // Each iteration takes 1 s: a drain between stages would add ~1 s per boundary (6 s in all).
        var sw = Stopwatch.StartNew();
        var result = await Runner(Get("stages", server, "/delay/1000",
                Simulation.ConstantRate(10, S(1)), Simulation.RampingRate(10, 20, S(1)), Simulation.ConstantRate(20, S(1))))
            .RunAsync(TestContext.Current.CancellationToken);
        sw.Stop();

        var stats = result.Scenario("stages");
        Log($"iterations={stats.Iterations.Total} elapsed={sw.Elapsed.TotalSeconds:0.00}s p50={stats.Iterations.PercentileMs(50):0.0} ms");
        stats.Iterations.Total.Should().BeInRange(44, 46, "10 + 15 + 20 arrivals");
        stats.Dropped.Should().Be(0);
        sw.Elapsed.Should().BeLessThan(S(5), "3 s of arrivals plus one 1 s tail, not a tail per stage");
    }

    [Fact]
    public async Task An_iteration_longer_than_the_timeout_is_cancelled_and_counted_as_a_timeout()
    {
        var url = server.Url("/delay/3000");
        var scenario = Scenario.Create("hangs")
            .WithStep("get", ctx => LoadHttp.GetAsync(server.Client, url, ctx.CancellationToken))
            .WithIterationTimeout(Ms(400))
            .WithLoadSimulations(Simulation.ConstantRate(5, S(1)));
        var result = await Runner(scenario).RunAsync(TestContext.Current.CancellationToken);

        var get = result.Scenario("hangs").Step("get");
        get.Failed.Should().Be(5);
        get.Errors.Should().ContainKey("timeout");
        get.FailHistogram.GetMaxValue().Should().BeInRange(400_000, 1_000_000, "the watchdog cancels within its 250 ms period of the 400 ms timeout (microseconds)");
    }
}
