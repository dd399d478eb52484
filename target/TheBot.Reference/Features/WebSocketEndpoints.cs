using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>
/// Channels-style WebSocket endpoints with THE_BOT's token protocol: `?token=` or a first frame
/// {"type":"auth","token":...}; `auth_success` with `user_id`; close 4001 when unauthenticated
/// after 15 s.
/// </summary>
public static class WebSocketEndpoints
{
    public const int CloseUnauthenticated = 4001;
    public static readonly TimeSpan AuthDeadline = TimeSpan.FromSeconds(15);

    public static void MapWebSockets(this WebApplication app, PlatformOptions options)
    {
        app.Map("/ws/notifications/", async (HttpContext ctx, TokenAuth auth, StackExchange.Redis.IConnectionMultiplexer redis) =>
        {
            if (Refuse(ctx, options) is { } refusal) return refusal;
            using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
            var user = await AuthenticateAsync(ctx, socket, auth);
            if (user is null) return Results.Empty;
            // The user's notifications (new chat messages) arrive through Redis from any instance.
            var gate = new SemaphoreSlim(1, 1);
            var queue = await redis.GetSubscriber().SubscribeAsync(ChatHub.NotificationChannel(user.Id));
            queue.OnMessage(async m =>
            {
                await gate.WaitAsync();
                try { if (socket.State == WebSocketState.Open) await socket.SendAsync(Encoding.UTF8.GetBytes(m.Message.ToString()), WebSocketMessageType.Text, true, CancellationToken.None); }
                catch (WebSocketException) { }
                finally { gate.Release(); }
            });
            ChatHub.Opened();
            try
            {
                await ReceiveUntilClosedAsync(socket, ctx.RequestAborted, async frame =>
                {
                    if (frame.TryGetProperty("type", out var t) && t.GetString() == "ping")
                    {
                        await gate.WaitAsync();
                        try { await SendAsync(socket, new { type = "pong" }, ctx.RequestAborted); }
                        finally { gate.Release(); }
                    }
                });
            }
            finally
            {
                await queue.UnsubscribeAsync();
                ChatHub.Closed();
            }
            return Results.Empty;
        });
    }

    /// <summary>Upgrade preconditions: a real upgrade request, an allowed Origin, and the proxy fault.</summary>
    public static IResult? Refuse(HttpContext ctx, PlatformOptions options)
    {
        // websocket-broken: the proxy drops Upgrade/Connection, so the backend sees a plain GET.
        if (options.Faults.Has(Fault.WebSocketBroken) || !ctx.WebSockets.IsWebSocketRequest)
            return Results.Text("Expected a WebSocket upgrade request.", statusCode: 400);
        string? origin = ctx.Request.Headers.Origin;
        if (!string.IsNullOrEmpty(origin) && (!Uri.TryCreate(origin, UriKind.Absolute, out var o) || !options.AllowedHosts.Contains(o.Host)))
            return Results.StatusCode(403);
        return null;
    }

    public static async Task<PlatformUser?> AuthenticateAsync(HttpContext ctx, WebSocket socket, TokenAuth auth)
    {
        var ct = ctx.RequestAborted;
        PlatformUser? user = null;
        if (ctx.Request.Query.TryGetValue("token", out var q))
            user = await auth.UserByTokenAsync(q.ToString(), ct);
        else
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(AuthDeadline);
            try
            {
                var first = await ReceiveJsonAsync(socket, deadline.Token);
                if (first is { } f && f.TryGetProperty("type", out var type) && type.GetString() == "auth"
                    && f.TryGetProperty("token", out var token) && token.GetString() is { } key)
                    user = await auth.UserByTokenAsync(key, ct);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
        }
        if (user is null || !user.IsActive)
        {
            if (socket.State == WebSocketState.Open)
                await socket.CloseAsync((WebSocketCloseStatus)CloseUnauthenticated, "unauthenticated", ct);
            return null;
        }
        await SendAsync(socket, new { type = "auth_success", user_id = user.Id }, ct);
        return user;
    }

    public static async Task SendAsync(WebSocket socket, object frame, CancellationToken ct)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame);
        await socket.SendAsync(bytes, WebSocketMessageType.Text, true, ct);
    }

    public static async Task<JsonElement?> ReceiveJsonAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            message.Write(buffer, 0, result.Count);
            if (message.Length > 64 * 1024) return null;
            if (result.EndOfMessage) break;
        }
        try { return JsonDocument.Parse(message.ToArray()).RootElement.Clone(); }
        catch (JsonException) { return default(JsonElement); }
    }

    public static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationToken ct, Func<JsonElement, Task> onFrame)
    {
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var frame = await ReceiveJsonAsync(socket, ct);
                if (frame is null)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
                    return;
                }
                if (frame.Value.ValueKind == JsonValueKind.Object) await onFrame(frame.Value);
                else await SendAsync(socket, new { type = "error", code = "invalid_json", message = "Frame is not a JSON object" }, ct);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
    }
}
