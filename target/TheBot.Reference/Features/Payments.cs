using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TheBot.Reference.Data;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>
/// Payments through a YooKassa stand-in. The confirmation_url points at the platform's own
/// "provider sandbox" page (/payments/sandbox/&lt;uuid&gt;): a person clicks "Оплатить" and the
/// payment becomes succeeded, as YooKassa's redirect flow plus its webhook would do.
/// </summary>
public static class Payments
{
    /// <summary>YooKassa's notification sources (contract §4).</summary>
    public static readonly string[] YooKassaRanges =
        ["185.71.76.0/27", "185.71.77.0/27", "77.75.153.0/25", "77.75.154.128/25", "77.75.156.11/32", "77.75.156.35/32", "2a02:5180::/32"];
    private static readonly string[] LoopbackRanges = ["127.0.0.0/8", "::1/128"];
    public static readonly string[] Events = ["payment.succeeded", "payment.canceled", "payment.waiting_for_capture", "payment.failed", "refund.succeeded"];

    private const string Select = """
        SELECT p.id, p.user_id AS user, p.amount::float8 AS amount, p.service_name, p.customer_fio, p.description, p.status,
               p.yookassa_payment_id, p.confirmation_url, p.return_url, p.metadata, p.created, p.updated, p.paid_at
        FROM payments_payment p
        """;

    public static bool Configured(PlatformOptions o) => o.YooKassaShopId.Length > 0 && o.YooKassaSecretKey.Length > 0;

    private static IResult ConfigurationError() => Results.Json(new
    {
        success = false, error = "Платёжная система не настроена: отсутствуют YOOKASSA_SHOP_ID / YOOKASSA_SECRET_KEY", error_type = "configuration_error",
    }, statusCode: 400);

    private static async Task<JsonObject> CreateAsync(HttpContext ctx, Database db, PlatformOptions options, int userId, decimal amount, string service, string fio, string description, string returnUrl, JsonObject metadata)
    {
        var id = Guid.NewGuid();
        var providerId = $"{RandomNumberGenerator.GetHexString(8, true)}-000f-5000-9000-{RandomNumberGenerator.GetHexString(12, true)}";
        metadata["payment_id"] = id.ToString();
        var confirmation = $"{ctx.Request.Scheme}://{ctx.Request.Host}/payments/sandbox/{id}";
        await db.ExecAsync("""
            INSERT INTO payments_payment (id, user_id, amount, service_name, customer_fio, description, yookassa_payment_id, confirmation_url, return_url, metadata)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
            """, ctx.RequestAborted, id, userId, amount, service, fio, description, providerId, confirmation, returnUrl, metadata.ToJsonString());
        ctx.RequestServices.GetRequiredService<Logs>().Celery.Write($"payment created id={id} amount={amount} user={userId} provider_id={providerId}");
        return (await db.RowAsync($"{Select} WHERE p.id = $1", ctx.RequestAborted, id))!;
    }

    public static void MapPayments(this WebApplication app, PlatformOptions options)
    {
        app.MapGet("/api/payments/health/", () => Results.Json(new { status = "ok", provider = "yookassa", configured = Configured(options) }));

        app.MapGet("/api/payments/payments/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            return user.IsStaff || Access.Idor(ctx)
                ? await Api.PageAsync(ctx, db, Select, "created DESC")
                : await Api.PageAsync(ctx, db, $"{Select} WHERE p.user_id = $1", "created DESC", user.Id);
        });

        app.MapPost("/api/payments/payments/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            var input = await Input.ReadAsync(ctx);
            var amount = input.Dec("amount");
            var returnUrl = input.Str("return_url") ?? "";
            if (!input.Valid || amount is null or <= 0 or > 1_000_000 || string.IsNullOrWhiteSpace(input.Str("service_name"))
                || string.IsNullOrWhiteSpace(input.Str("customer_fio")) || (returnUrl.Length > 0 && !Uri.TryCreate(returnUrl, UriKind.Absolute, out _)))
                return Api.Validation();
            if (!Configured(options)) return ConfigurationError();
            var payment = await CreateAsync(ctx, db, options, user.Id, amount.Value, input.Str("service_name")!, input.Str("customer_fio")!, input.Str("description") ?? "", returnUrl, new JsonObject());
            return Api.Json(payment, 201);
        });

        async Task<IResult> Detail(HttpContext ctx, Guid id, Database db, bool statusOnly)
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            var owner = user.IsStaff || Access.Idor(ctx) ? "TRUE" : $"p.user_id = {user.Id}";
            var row = await db.RowAsync($"{Select} WHERE p.id = $1 AND {owner}", ctx.RequestAborted, id);
            if (row is null) return Api.NotFound();
            return statusOnly
                ? Api.Json(new JsonObject { ["id"] = row["id"]!.DeepClone(), ["status"] = row["status"]!.DeepClone(), ["amount"] = row["amount"]!.DeepClone(), ["paid_at"] = row["paid_at"]?.DeepClone() })
                : Api.Json(row);
        }
        app.MapGet("/api/payments/payments/{id:guid}/", (HttpContext ctx, Guid id, Database db) => Detail(ctx, id, db, false));
        app.MapGet("/api/payments/payments/{id:guid}/status/", (HttpContext ctx, Guid id, Database db) => Detail(ctx, id, db, true));

        app.MapPost("/api/payments/initiate/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "parent")) return Results.Json(new { success = false, error = "Только родители могут инициировать оплату" }, statusCode: 403);
            var input = await Input.ReadAsync(ctx);
            var child = input.Int("child_id");
            var amount = input.Dec("amount");
            if (!input.Valid || child is null || amount is null or <= 0 or > 1_000_000) return Api.Validation();
            var name = await db.ScalarAsync<string>("SELECT trim(u.first_name || ' ' || u.last_name) FROM accounts_studentprofile p JOIN accounts_user u ON u.id = p.user_id WHERE p.user_id = $1 AND p.parent_id = $2", ctx.RequestAborted, child.Value, user.Id);
            if (name is null) return Results.Json(new { success = false, error = "Ребёнок не найден" }, statusCode: 404);
            if (!Configured(options)) return ConfigurationError();
            var payment = await CreateAsync(ctx, db, options, user.Id, amount.Value, "Оплата обучения", user.FullName, input.Str("description") ?? $"Оплата обучения: {name}", input.Str("return_url") ?? "", new JsonObject { ["child_id"] = child.Value });
            return Api.Json(payment, 201);
        });

        app.Map("/api/payments/yookassa-webhook/", async (HttpContext ctx, Database db, Logs logs) =>
        {
            if (!HttpMethods.IsPost(ctx.Request.Method)) return Results.Text("Method not allowed", statusCode: 400);
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
            var raw = buffer.ToArray();
            var ip = ctx.Connection.RemoteIpAddress;
            if (!options.Faults.Has(Fault.WebhookUnsignedAccepted))
            {
                if (!SourceAllowed(ip, options))
                {
                    logs.Celery.Write($"webhook refused: source {ip} outside YooKassa ranges");
                    return Results.Text("Forbidden", statusCode: 403);
                }
                if (!SignatureValid(raw, ctx.Request.Headers["X-Yookassa-Webhook-Signature"], options.YooKassaSecretKey))
                {
                    logs.Celery.Write($"webhook refused: bad or missing signature from {ip}");
                    return Results.Text("Forbidden", statusCode: 403);
                }
            }
            JsonElement body;
            try { body = JsonDocument.Parse(raw).RootElement.Clone(); }
            catch (JsonException) { return Results.Text("Invalid JSON", statusCode: 400); }
            if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("event", out var evt) || evt.ValueKind != JsonValueKind.String
                || !body.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
                return Results.Text("Invalid notification", statusCode: 400);
            var name = evt.GetString()!;
            if (!Events.Contains(name)) return Results.Text("OK");
            var providerId = obj.TryGetProperty("id", out var pid) ? pid.GetString() : null;
            var localId = obj.TryGetProperty("metadata", out var md) && md.ValueKind == JsonValueKind.Object && md.TryGetProperty("payment_id", out var mp) ? mp.GetString() : null;
            var payment = await db.ScalarAsync<Guid?>("SELECT id FROM payments_payment WHERE yookassa_payment_id = $1 OR id::text = $2", ctx.RequestAborted, providerId ?? "", localId ?? "");
            if (payment is null) return Results.Text("Payment not found", statusCode: 400);
            var status = name switch
            {
                "payment.succeeded" => "succeeded",
                "payment.canceled" => "canceled",
                "payment.waiting_for_capture" => "waiting_for_capture",
                "payment.failed" => "failed",
                _ => "refunded",
            };
            await SetStatusAsync(db, logs, payment.Value, status, $"webhook {name}", ctx.RequestAborted);
            return Results.Text("OK");
        });

        // The provider sandbox: the page a payer sees after following confirmation_url.
        app.MapGet("/payments/sandbox/{id:guid}", async (HttpContext ctx, Guid id, Database db) =>
        {
            var row = await db.RowAsync($"{Select} WHERE p.id = $1", ctx.RequestAborted, id);
            if (row is null) return Frontend.Page("Платёж не найден", "<main><h1>Платёж не найден</h1></main>", 404);
            var paid = (string)row["status"]! == "succeeded";
            return Frontend.Page("Оплата — YooKassa (песочница)", $"""
                <main class="sandbox" data-testid="payment-sandbox">
                  <h1>ЮKassa · тестовая оплата</h1>
                  <p>Услуга: <span data-testid="payment-service">{DebugPages.Enc((string?)row["service_name"])}</span></p>
                  <p>Сумма: <strong data-testid="payment-amount">{((double)row["amount"]!).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} ₽</strong></p>
                  <p>Статус: <span data-testid="payment-status">{row["status"]}</span></p>
                  {(paid ? "<p data-testid=\"payment-done\">Оплата прошла успешно</p>" : $"""
                  <form method="post" action="/payments/sandbox/{id}/pay">
                    <button type="submit" data-testid="payment-pay-button">Оплатить</button>
                  </form>
                  """)}
                </main>
                """);
        });

        app.MapPost("/payments/sandbox/{id:guid}/pay", async (HttpContext ctx, Guid id, Database db, Logs logs) =>
        {
            var returnUrl = await db.ScalarAsync<string>("SELECT return_url FROM payments_payment WHERE id = $1", ctx.RequestAborted, id);
            if (returnUrl is null) return Results.NotFound();
            await SetStatusAsync(db, logs, id, "succeeded", "sandbox confirmation", ctx.RequestAborted);
            // Back to the shop: its return_url when it is this site, else the payment history page.
            var target = Uri.TryCreate(returnUrl, UriKind.Absolute, out var r) && r.Authority == ctx.Request.Host.Value ? returnUrl : "/payments?paid=" + id;
            return Results.Redirect(target);
        });
    }

    private static async Task SetStatusAsync(Database db, Logs logs, Guid id, string status, string why, CancellationToken ct)
    {
        await db.ExecAsync("UPDATE payments_payment SET status = $2, updated = now(), paid_at = CASE WHEN $2 = 'succeeded' THEN coalesce(paid_at, now()) ELSE paid_at END WHERE id = $1", ct, id, status);
        logs.Celery.Write($"task payments.process_payment[{id}] status={status} ({why})");
        Metrics.PaymentsProcessed.Inc(Metrics.Label("status", status));
        Metrics.CeleryTasks.Inc($"{Metrics.Label("task", "payments.process_payment")},{Metrics.Label("state", "success")}");
    }

    public static bool SignatureValid(byte[] raw, string? header, string secret)
    {
        if (string.IsNullOrEmpty(header) || secret.Length == 0) return false;
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), raw));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(header.Trim().ToLowerInvariant()));
    }

    public static bool SourceAllowed(IPAddress? ip, PlatformOptions options)
    {
        if (ip is null) return false;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        var ranges = options.WebhookAllowLoopback ? YooKassaRanges.Concat(LoopbackRanges) : YooKassaRanges;
        return ranges.Any(r => IPNetwork.Parse(r).Contains(ip));
    }
}
