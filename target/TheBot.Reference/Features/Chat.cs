using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using StackExchange.Redis;
using TheBot.Reference.Data;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>
/// Chat storage and fan-out. Every message, REST or WebSocket, is published on the room's Redis
/// channel; each WebSocket connection (on any instance) subscribes to it, like Channels' Redis layer.
/// </summary>
public sealed class ChatHub(Database db, IConnectionMultiplexer redis)
{
    public const int MaxLength = 10_000;
    private static long _openSockets;

    public const string MessageSelect = """
        SELECT m.id, m.room_id AS chat_id, m.sender_id, json_build_object('id', u.id, 'first_name', u.first_name, 'last_name', u.last_name,
               'full_name', trim(u.first_name || ' ' || u.last_name), 'role', u.role) AS sender,
               m.content, m.message_type, m.is_edited, m.created_at
        FROM chat_message m JOIN accounts_user u ON u.id = m.sender_id
        """;

    public static RedisChannel Channel(int roomId) => RedisChannel.Literal($"chat:room:{roomId}");
    public static RedisChannel NotificationChannel(int userId) => RedisChannel.Literal($"notifications:user:{userId}");

    public Task<bool> IsParticipantAsync(int roomId, int userId, CancellationToken ct) =>
        db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM chat_chatparticipant WHERE room_id = $1 AND user_id = $2)", ct, roomId, userId);

    public async Task<JsonObject> SaveAsync(int roomId, int senderId, string content, CancellationToken ct)
    {
        var id = await db.ScalarAsync<int>("INSERT INTO chat_message (room_id, sender_id, content) VALUES ($1, $2, $3) RETURNING id", ct, roomId, senderId, content);
        await db.ExecAsync("UPDATE chat_chatroom SET updated_at = now() WHERE id = $1", ct, roomId);
        await db.ExecAsync("UPDATE chat_chatparticipant SET last_read_message_id = $2 WHERE room_id = $1 AND user_id = $3", ct, roomId, id, senderId);
        var message = (await db.RowAsync($"{MessageSelect} WHERE m.id = $1", ct, id))!;
        Metrics.MessagesSent.Inc();
        await PublishAsync(roomId, new JsonObject { ["type"] = "message", ["message"] = message.DeepClone() });
        // Every other participant also gets a notification on /ws/notifications/.
        foreach (var recipient in await db.RowsAsync("SELECT user_id FROM chat_chatparticipant WHERE room_id = $1 AND user_id <> $2", ct, roomId, senderId))
        {
            var frame = new JsonObject { ["type"] = "notification", ["kind"] = "new_message", ["chat_id"] = roomId, ["message"] = message.DeepClone() };
            await redis.GetSubscriber().PublishAsync(NotificationChannel((int)recipient!["user_id"]!), frame.ToJsonString(Api.Output));
            Metrics.NotificationsSent.Inc();
        }
        return message;
    }

    public Task PublishAsync(int roomId, JsonObject frame) =>
        redis.GetSubscriber().PublishAsync(Channel(roomId), frame.ToJsonString(Api.Output));

    public async Task<int> MarkReadAsync(int roomId, int userId, CancellationToken ct)
    {
        await db.ExecAsync("UPDATE chat_chatparticipant SET last_read_message_id = coalesce((SELECT max(id) FROM chat_message WHERE room_id = $1), 0) WHERE room_id = $1 AND user_id = $2", ct, roomId, userId);
        return 0;
    }

    public static void Opened() => Metrics.WebSocketConnections.Set(Interlocked.Increment(ref _openSockets));
    public static void Closed() => Metrics.WebSocketConnections.Set(Interlocked.Decrement(ref _openSockets));
}

public static class Chat
{
    public static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(30);
    public const int CloseNoAccess = 4003;
    public const int CloseTooMany = 4029;

    private static string RoomSelect(int userId) => $"""
        SELECT r.id, r.name, r.type, r.created_at, r.updated_at,
               (SELECT json_build_object('id', u.id, 'email', u.email, 'first_name', u.first_name, 'last_name', u.last_name,
                       'full_name', trim(u.first_name || ' ' || u.last_name), 'role', u.role)
                  FROM chat_chatparticipant o JOIN accounts_user u ON u.id = o.user_id WHERE o.room_id = r.id AND o.user_id <> {userId} LIMIT 1) AS other_participant,
               (SELECT json_build_object('id', m.id, 'content', m.content, 'sender_id', m.sender_id, 'created_at', m.created_at)
                  FROM chat_message m WHERE m.room_id = r.id ORDER BY m.id DESC LIMIT 1) AS last_message,
               (SELECT count(*) FROM chat_message m WHERE m.room_id = r.id AND m.sender_id <> {userId} AND m.id > p.last_read_message_id) AS unread_count
        FROM chat_chatroom r JOIN chat_chatparticipant p ON p.room_id = r.id AND p.user_id = {userId}
        """;

    public static void MapChat(this WebApplication app, PlatformOptions options)
    {
        app.MapGet("/api/chat/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            return await Api.PageAsync(ctx, db, RoomSelect(user.Id), "updated_at DESC, id DESC");
        });

        app.MapPost("/api/chat/", async (HttpContext ctx, Database db, Throttle throttle) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            var input = await Input.ReadAsync(ctx);
            var recipient = input.Int("recipient_id");
            if (!input.Valid || recipient is null || recipient == user.Id
                || await db.ScalarAsync<int?>("SELECT id FROM accounts_user WHERE id = $1 AND is_active", ctx.RequestAborted, recipient) is null)
                return Api.Validation();
            if (!await db.ScalarAsync<bool>($"SELECT coalesce({Access.CanChatSql("$1", "$2")}, FALSE)", ctx.RequestAborted, user.Id, recipient.Value))
                return Results.Json(new { success = false, error = "Вы не можете начать чат с этим пользователем" }, statusCode: 403);
            var existing = await db.ScalarAsync<int?>("""
                SELECT r.id FROM chat_chatroom r WHERE r.type = 'direct'
                  AND EXISTS (SELECT 1 FROM chat_chatparticipant WHERE room_id = r.id AND user_id = $1)
                  AND EXISTS (SELECT 1 FROM chat_chatparticipant WHERE room_id = r.id AND user_id = $2) LIMIT 1
                """, ctx.RequestAborted, user.Id, recipient.Value);
            if (existing is null)
            {
                if (await throttle.CheckAsync(ctx, "chat_room") is { } throttled) return throttled;
                existing = await db.ScalarAsync<int>("INSERT INTO chat_chatroom (name, type, created_by_id) VALUES ('', 'direct', $1) RETURNING id", ctx.RequestAborted, user.Id);
                await db.ExecAsync("INSERT INTO chat_chatparticipant (room_id, user_id) VALUES ($1, $2), ($1, $3)", ctx.RequestAborted, existing.Value, user.Id, recipient.Value);
            }
            return Api.Json(await db.RowAsync($"SELECT * FROM ({RoomSelect(user.Id)}) x WHERE x.id = $1", ctx.RequestAborted, existing.Value), 201);
        });

        app.MapGet("/api/chat/contacts/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            var search = ctx.Request.Query["search"].ToString();
            var rows = await db.RowsAsync($"""
                SELECT u.id, u.email, u.first_name, u.last_name, trim(u.first_name || ' ' || u.last_name) AS full_name, u.role,
                       r.id IS NOT NULL AS has_existing_chat, r.id AS chat_id
                FROM accounts_user u
                LEFT JOIN LATERAL (SELECT c.id FROM chat_chatroom c WHERE c.type = 'direct'
                    AND EXISTS (SELECT 1 FROM chat_chatparticipant WHERE room_id = c.id AND user_id = u.id)
                    AND EXISTS (SELECT 1 FROM chat_chatparticipant WHERE room_id = c.id AND user_id = $1) LIMIT 1) r ON TRUE
                WHERE u.id <> $1 AND u.is_active AND {Access.CanChatSql("$1", "u.id")}
                  AND ($2 = '' OR u.email ILIKE '%' || $2 || '%' OR u.first_name ILIKE '%' || $2 || '%' OR u.last_name ILIKE '%' || $2 || '%')
                ORDER BY u.id
                """, ctx.RequestAborted, user.Id, search);
            return Api.Json(new JsonObject { ["count"] = rows.Count, ["results"] = rows });
        });

        app.MapGet("/api/chat/{id:int}/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            var row = await db.RowAsync($"SELECT * FROM ({RoomSelect(user.Id)}) x WHERE x.id = $1", ctx.RequestAborted, id);
            return row is null ? Api.NotFound() : Api.Json(row);
        });

        app.MapGet("/api/chat/{id:int}/messages/", async (HttpContext ctx, int id, Database db, ChatHub hub) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (await db.ScalarAsync<int?>("SELECT id FROM chat_chatroom WHERE id = $1", ctx.RequestAborted, id) is null) return Api.NotFound();
            if (!Access.Idor(ctx) && !await hub.IsParticipantAsync(id, user.Id, ctx.RequestAborted)) return Drf.Forbidden();
            var limit = int.TryParse(ctx.Request.Query["limit"], out var l) ? Math.Clamp(l, 1, 200) : 50;
            var before = int.TryParse(ctx.Request.Query["before_id"], out var b) ? b : int.MaxValue;
            var rows = await db.RowsAsync($"SELECT * FROM ({ChatHub.MessageSelect} WHERE m.room_id = $1 AND m.id < $2 AND NOT m.is_deleted ORDER BY m.id DESC LIMIT {limit}) x ORDER BY x.id", ctx.RequestAborted, id, before);
            return Api.Json(new JsonObject { ["count"] = rows.Count, ["results"] = rows });
        });

        app.MapPost("/api/chat/{id:int}/send_message/", async (HttpContext ctx, int id, Database db, ChatHub hub, Throttle throttle) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (await db.ScalarAsync<int?>("SELECT id FROM chat_chatroom WHERE id = $1", ctx.RequestAborted, id) is null) return Api.NotFound();
            if (!await hub.IsParticipantAsync(id, user.Id, ctx.RequestAborted)) return Drf.Forbidden();
            var input = await Input.ReadAsync(ctx);
            var content = input.Str("content");
            if (!input.Valid || string.IsNullOrWhiteSpace(content) || content.Length > ChatHub.MaxLength) return Api.Validation();
            if (await throttle.CheckAsync(ctx, "chat_message") is { } throttled) return throttled;
            return Api.Json(await hub.SaveAsync(id, user.Id, content, ctx.RequestAborted), 201);
        });

        app.MapPost("/api/chat/{id:int}/mark_as_read/", async (HttpContext ctx, int id, Database db, ChatHub hub) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (await db.ScalarAsync<int?>("SELECT id FROM chat_chatroom WHERE id = $1", ctx.RequestAborted, id) is null) return Api.NotFound();
            if (!await hub.IsParticipantAsync(id, user.Id, ctx.RequestAborted)) return Drf.Forbidden();
            return Results.Json(new { chat_id = id, unread_count = await hub.MarkReadAsync(id, user.Id, ctx.RequestAborted) });
        });

        app.Map("/ws/chat/{id:int}/", async (HttpContext ctx, int id, TokenAuth auth, ChatHub hub, Throttle throttle, IConnectionMultiplexer redis) =>
        {
            if (WebSocketEndpoints.Refuse(ctx, options) is { } refusal) return refusal;
            using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
            var ct = ctx.RequestAborted;
            var user = await WebSocketEndpoints.AuthenticateAsync(ctx, socket, auth);
            if (user is null) return Results.Empty;
            if (await throttle.CountAsync("ws_chat_connect", $"user:{user.Id}:room:{id}", 5, 60) is not null)
            {
                await socket.CloseAsync((WebSocketCloseStatus)CloseTooMany, "too many connections", ct);
                return Results.Empty;
            }
            if (!await hub.IsParticipantAsync(id, user.Id, ct))
            {
                await socket.CloseAsync((WebSocketCloseStatus)CloseNoAccess, "no access", ct);
                return Results.Empty;
            }
            await RunRoomAsync(socket, id, user, hub, throttle, redis, ct);
            return Results.Empty;
        });
    }

    private static async Task RunRoomAsync(WebSocket socket, int roomId, PlatformUser user, ChatHub hub, Throttle throttle, IConnectionMultiplexer redis, CancellationToken ct)
    {
        var connection = Guid.NewGuid().ToString("N");
        var sendGate = new SemaphoreSlim(1, 1);
        async Task Send(string json)
        {
            await sendGate.WaitAsync(ct);
            try { if (socket.State == WebSocketState.Open) await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, ct); }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
            finally { sendGate.Release(); }
        }
        ChatHub.Opened();
        var queue = await redis.GetSubscriber().SubscribeAsync(ChatHub.Channel(roomId));
        queue.OnMessage(async m =>
        {
            var frame = JsonNode.Parse(m.Message.ToString())!.AsObject();
            // Typing indicators go to the other connections only.
            if (frame["connection"]?.GetValue<string>() == connection) return;
            frame.Remove("connection");
            await Send(frame.ToJsonString(Api.Output));
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pinger = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(PingEvery, stop.Token); } catch (OperationCanceledException) { return; }
                await Send(JsonSerializer.Serialize(new { type = "ping", timestamp = DateTimeOffset.UtcNow.ToString("O") }));
            }
        }, CancellationToken.None);
        try
        {
            await WebSocketEndpoints.ReceiveUntilClosedAsync(socket, ct, async frame =>
            {
                var type = frame.TryGetProperty("type", out var t) ? t.GetString() : null;
                switch (type)
                {
                    case "message":
                        var content = frame.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                        if (string.IsNullOrWhiteSpace(content) || content.Length > ChatHub.MaxLength)
                            await Send(JsonSerializer.Serialize(new { type = "error", code = "invalid_message", message = "Сообщение должно содержать от 1 до 10000 символов" }));
                        else if (await throttle.CheckAsync(new DefaultHttpContext(), "chat_message", $"user:{user.Id}") is not null)
                            await Send(JsonSerializer.Serialize(new { type = "error", code = "throttled", message = "Слишком много сообщений" }));
                        else
                            await hub.SaveAsync(roomId, user.Id, content, ct);
                        break;
                    case "typing":
                        var typing = !frame.TryGetProperty("is_typing", out var it) || it.ValueKind != JsonValueKind.False;
                        await hub.PublishAsync(roomId, new JsonObject { ["type"] = "typing", ["user_id"] = user.Id, ["is_typing"] = typing, ["connection"] = connection });
                        break;
                    case "read":
                        await hub.MarkReadAsync(roomId, user.Id, ct);
                        await hub.PublishAsync(roomId, new JsonObject { ["type"] = "read", ["user_id"] = user.Id, ["chat_id"] = roomId, ["connection"] = connection });
                        break;
                    case "ping":
                        await Send(JsonSerializer.Serialize(new { type = "pong" }));
                        break;
                    case "pong":
                        break;
                    default:
                        await Send(JsonSerializer.Serialize(new { type = "error", code = "unknown_type", message = $"Неизвестный тип сообщения: {type}" }));
                        break;
                }
            });
        }
        finally
        {
            await stop.CancelAsync();
            await queue.UnsubscribeAsync();
            ChatHub.Closed();
        }
    }
}
