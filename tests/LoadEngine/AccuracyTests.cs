using FluentAssertions;
using Gate.Load;
using static LoadEngine.Tests.Helpers;

namespace LoadEngine.Tests;

public sealed class AccuracyTests(TestServer server)
{
    // Contention on a shared machine only ever adds latency (one-sided noise), so each accuracy
    // test takes the best of up to three short runs: an engine that mis-measures fails all three.
    private async Task<SeriesStats> BestOfThreeAsync(string model, LoadSimulation load)
    {
        SeriesStats? best = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var result = await Runner(WarmGet("delay", server, "/delay/200", load)).RunAsync(TestContext.Current.CancellationToken);
            var get = result.Scenario("delay").Step("get");
            Log($"{model} model, attempt {attempt}: n={get.Ok} failed={get.Failed} p50={get.PercentileMs(50):0.00} ms p95={get.PercentileMs(95):0.00} ms max={get.MaxMs:0.00} ms");
            if (best is null || get.PercentileMs(95) < best.PercentileMs(95)) best = get;
            if (best.PercentileMs(95) <= 210 && best.PercentileMs(50) <= 210) break;
        }
        // No client can time 200 ms to 5 % while the run queue is many times the core count: say
        // so instead of blaming the engine (the figures are in the skip reason and the output).
        var loadAverage = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        if ((best!.PercentileMs(95) > 210 || best.PercentileMs(50) > 210) && loadAverage > 4 * Environment.ProcessorCount)
            Assert.Skip($"machine overloaded (load average {loadAverage:0.#} on {Environment.ProcessorCount} cores): best of three {model}-model runs measured p50 {best.PercentileMs(50):0.0} ms, p95 {best.PercentileMs(95):0.0} ms for a 200 ms server delay; rerun on a quiet machine");
        return best;
    }

    [Fact]
    public async Task A_fixed_200ms_server_delay_is_measured_within_5_percent_in_the_open_model()
    {
        var get = await BestOfThreeAsync("open", Simulation.ConstantRate(30, S(4)));

        get.Failed.Should().Be(0);
        get.Ok.Should().BeInRange(115, 121, "30/s for 4 s schedules 120 arrivals");
        get.PercentileMs(50).Should().BeInRange(200, 210, "the server waits exactly 200 ms; 5 % is 10 ms");
        get.PercentileMs(95).Should().BeInRange(200, 210, "the server waits exactly 200 ms; 5 % is 10 ms");
    }

    [Fact]
    public async Task A_fixed_200ms_server_delay_is_measured_within_5_percent_in_the_closed_model()
    {
        // 8 users started 25 ms apart (so they do not arrive in bursts) complete ~40/s for 3 s.
        var get = await BestOfThreeAsync("closed", Simulation.Users(8, S(3), rampPerSecond: 40));

        get.Ok.Should().BeGreaterThan(80);
        get.PercentileMs(50).Should().BeInRange(200, 210);
        get.PercentileMs(95).Should().BeInRange(200, 210);
    }

    [Fact]
    public async Task A_server_stall_shows_in_the_open_model_but_hides_in_a_closed_one()
    {
        var ct = TestContext.Current.CancellationToken;

        // Closed model, one user: the stall delays one request and the user sends nothing else.
        server.Stall(after: S(1), length: S(1));
        var closed = await Runner(Get("closed", server, "/stallable", Simulation.Users(1, S(3)))).RunAsync(ct);

        // Open model at 50/s: every arrival during the stall is timed from its intended start.
        server.Stall(after: S(1), length: S(1));
        var open = await Runner(Get("open", server, "/stallable", Simulation.ConstantRate(50, S(3)))).RunAsync(ct);

        var c = closed.Scenario("closed").Step("get");
        var o = open.Scenario("open").Step("get");
        Log($"closed: n={c.Ok} p95={c.PercentileMs(95):0.0} ms max={c.MaxMs:0.0} ms; open: n={o.Ok} p50={o.PercentileMs(50):0.0} p95={o.PercentileMs(95):0.0} ms max={o.MaxMs:0.0} ms");
        c.MaxMs.Should().BeGreaterThan(900, "the one request caught in the stall waited about a second");
        c.PercentileMs(95).Should().BeLessThan(50, "a closed client omits the requests it would have sent during the stall");
        o.PercentileMs(95).Should().BeGreaterThan(700, "a third of the open model's arrivals fell in a 1 s stall, so its top 5 % waited 0.85-1 s");
        o.PercentileMs(50).Should().BeLessThan(50, "outside the stall the server is fast");
        o.MaxMs.Should().BeInRange(900, 1100);
        open.Scenario("open").Dropped.Should().Be(0);
    }

    [Fact]
    public async Task Ramping_rate_schedules_the_integral_of_the_rate()
    {
        var ramp = Simulation.RampingRate(0, 100, S(2));
        // 0 -> 100/s over 2 s is 100 arrivals; half of them in the last half second.
        ramp.CumulativeAt(2).Should().BeApproximately(100, 1e-9);
        ramp.IntendedStartOf(50).Should().BeApproximately(Math.Sqrt(2), 1e-9);
        var result = await Runner(Get("ramp", server, "/fast", ramp)).RunAsync(TestContext.Current.CancellationToken);
        result.Scenario("ramp").Iterations.Total.Should().BeInRange(99, 101);
    }
}
