using FluentAssertions;
using Gate.Load;
using static LoadEngine.Tests.Helpers;

namespace LoadEngine.Tests;

public sealed class WebSocketTests(TestServer server)
{
    [Fact]
    public async Task A_message_sent_on_one_socket_is_measured_until_it_arrives_on_another()
    {
        var ct = TestContext.Current.CancellationToken;
        var url = new UriBuilder(server.BaseAddress) { Scheme = "ws", Path = "/ws/room" }.Uri;
        await using var sender = await JsonSocket.ConnectAsync(url, null, S(5), ct);
        await using var receiver = await JsonSocket.ConnectAsync(url, null, S(5), ct);
        // The greeting arrived before anyone waited for it.
        var hello = await receiver.WaitForAsync(f => f.GetProperty("type").GetString() == "hello", ct, includeRecent: true).WaitAsync(S(5), ct);
        hello.GetProperty("type").GetString().Should().Be("hello");

        long n = 0;
        var scenario = Scenario.Create("ws")
            .WithStep("send-and-receive", async ctx =>
            {
                var content = $"m{Interlocked.Increment(ref n)}";
                var echo = receiver.WaitForAsync(f => f.TryGetProperty("content", out var c) && c.GetString() == content, ctx.CancellationToken);
                await sender.SendAsync(new { type = "message", content }, ctx.CancellationToken);
                await echo;
                return Outcome.Ok();
            })
            .WithLoadSimulations(Simulation.ConstantRate(50, S(1)))
            .WithThresholds(Threshold.Checklist());
        var result = await Runner(scenario).RunAsync(ct);

        var step = result.Scenario("ws").Step("send-and-receive");
        Log($"websocket: n={step.Ok} p50={step.PercentileMs(50):0.00} ms p95={step.PercentileMs(95):0.00} ms");
        result.Failures.Should().BeEmpty();
        step.Ok.Should().Be(50, "every message sent at 50/s for 1 s arrived on the other socket");
    }
}
