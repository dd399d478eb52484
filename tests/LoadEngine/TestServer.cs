using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

[assembly: AssemblyFixture(typeof(LoadEngine.Tests.TestServer))]
// Latency accuracy is measured in these tests: never let them compete with each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace LoadEngine.Tests;

/// <summary>
/// A tiny Kestrel server on 127.0.0.1 with KNOWN behaviour: fixed delays, a stall window, and a
/// deterministic share of 500s. The engine is measured against it.
/// </summary>
public sealed class TestServer : IAsyncLifetime
{
    private WebApplication? _app;
    private long _stallFrom, _stallUntil;
    private long _counter;
    private readonly List<System.Net.WebSockets.WebSocket> _room = [];
    private readonly SemaphoreSlim _roomSend = new(1, 1);

    public Uri BaseAddress { get; private set; } = null!;
    public HttpMessageInvoker Client { get; } = Gate.Load.LoadHttp.CreateInvoker(maxConnections: 2048);

    public Uri Url(string path) => new(BaseAddress, path);

    /// <summary>Requests to /stallable arriving in [now+after, now+after+length) wait until the window ends.</summary>
    public void Stall(TimeSpan after, TimeSpan length)
    {
        var now = Stopwatch.GetTimestamp();
        Volatile.Write(ref _stallUntil, now + (long)((after + length).TotalSeconds * Stopwatch.Frequency));
        Volatile.Write(ref _stallFrom, now + (long)(after.TotalSeconds * Stopwatch.Frequency));
    }

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/fast", () => "ok");
        _app.MapGet("/delay/{ms:int}", async (int ms) =>
        {
            await DelayAtLeast(TimeSpan.FromMilliseconds(ms));
            return "ok";
        });
        _app.MapGet("/stallable", async () =>
        {
            var now = Stopwatch.GetTimestamp();
            var until = Volatile.Read(ref _stallUntil);
            if (now >= Volatile.Read(ref _stallFrom) && now < until)
                await DelayAtLeast(Stopwatch.GetElapsedTime(now, until));
            return "ok";
        });
        // A WebSocket room: greets with {"type":"hello"}, then relays every text frame to every connection.
        _app.UseWebSockets();
        _app.Map("/ws/room", async (HttpContext ctx) =>
        {
            if (!ctx.WebSockets.IsWebSocketRequest) return Results.StatusCode(400);
            using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
            lock (_room) _room.Add(socket);
            await socket.SendAsync("{\"type\":\"hello\"}"u8.ToArray(), System.Net.WebSockets.WebSocketMessageType.Text, true, ctx.RequestAborted);
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    var r = await socket.ReceiveAsync(buffer, ctx.RequestAborted);
                    if (r.MessageType == System.Net.WebSockets.WebSocketMessageType.Close) break;
                    System.Net.WebSockets.WebSocket[] members;
                    lock (_room) members = [.. _room];
                    foreach (var m in members)
                    {
                        await _roomSend.WaitAsync();
                        try { await m.SendAsync(buffer.AsMemory(0, r.Count), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None); }
                        catch (System.Net.WebSockets.WebSocketException) { }
                        finally { _roomSend.Release(); }
                    }
                }
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException) { }
            finally { lock (_room) _room.Remove(socket); }
            return Results.Empty;
        });
        // Every n-th request (counted across the whole server) answers 500.
        _app.MapGet("/fail-every/{n:int}", (int n) =>
            Interlocked.Increment(ref _counter) % n == 0 ? Results.StatusCode(500) : Results.Text("ok"));
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.First());
    }

    // Timers run on a millisecond clock, so Task.Delay(200) can return up to a millisecond early
    // (a CI run measured p50 199.935 ms against a 200 ms delay); the accuracy tests rely on the server
    // waiting AT LEAST the stated time, so the stopwatch tops up whatever the timer left short.
    private static async Task DelayAtLeast(TimeSpan delay)
    {
        var start = Stopwatch.GetTimestamp();
        await Task.Delay(delay);
        while (Stopwatch.GetElapsedTime(start) < delay)
            await Task.Yield();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }
}
