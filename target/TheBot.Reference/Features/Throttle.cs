using StackExchange.Redis;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>
/// DRF throttling as configured in contract §7, with counters in Redis so every instance shares
/// them. Fixed windows; over the limit: 429, `detail` "Request was throttled. Expected available
/// in N seconds." and Retry-After. Redis being down fails open, as Django's cache backend would.
/// </summary>
public sealed class Throttle(IConnectionMultiplexer redis, PlatformOptions options)
{
    public static readonly IReadOnlyDictionary<string, (int Limit, int Seconds)> Rates = new Dictionary<string, (int, int)>
    {
        ["anon"] = (50, 3600), ["user"] = (500, 3600), ["student"] = (1000, 3600), ["admin"] = (10000, 3600),
        ["login"] = (5, 60), ["refresh"] = (10, 60), ["upload"] = (10, 3600), ["search"] = (30, 60),
        ["chat_message"] = (60, 60), ["report_generation"] = (10, 3600), ["assignment_submission"] = (10, 3600),
        ["chat_room"] = (5, 3600), ["admin_endpoint"] = (1000, 3600), ["analytics"] = (100, 3600),
    };

    /// <summary>Health probes and the provider's webhook are never throttled (orchestrators and YooKassa retry).</summary>
    private static readonly string[] Exempt =
        ["/api/system/health/live/", "/api/system/health/ready/", "/api/system/health/startup/", "/api/system/readiness/", "/api/payments/yookassa-webhook/"];

    public static string Identity(HttpContext ctx) =>
        TokenAuth.CurrentUser(ctx) is { } u ? $"user:{u.Id}" : $"ip:{ctx.Connection.RemoteIpAddress}";

    /// <summary>The global burst scope (10/s per user, or per address when anonymous).</summary>
    public async Task<IResult?> BurstAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        if (!path.StartsWith("/api/", StringComparison.Ordinal) || Exempt.Contains(path)) return null;
        return await HitAsync("burst", Identity(ctx), options.BurstPerSecond, 1);
    }

    /// <summary>A view's opt-in scope. `identity` defaults to the user or the address.</summary>
    public Task<IResult?> CheckAsync(HttpContext ctx, string scope, string? identity = null)
    {
        var (limit, seconds) = Rates[scope];
        return HitAsync(scope, identity ?? Identity(ctx), limit, seconds);
    }

    /// <summary>Counts one hit; returns the seconds to wait when over the limit.</summary>
    public async Task<int?> CountAsync(string scope, string identity, int limit, int seconds)
    {
        if (options.Faults.Has(Fault.RateLimitOff)) return null;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var window = now / seconds;
        var key = $"throttle:{scope}:{identity}:{window}";
        try
        {
            var db = redis.GetDatabase();
            var count = await db.StringIncrementAsync(key);
            if (count == 1) await db.KeyExpireAsync(key, TimeSpan.FromSeconds(seconds + 1), flags: CommandFlags.FireAndForget);
            if (count <= limit) return null;
            return (int)Math.Max(1, (window + 1) * seconds - now);
        }
        catch (Exception e) when (e is RedisException or TimeoutException) { return null; }
    }

    private async Task<IResult?> HitAsync(string scope, string identity, int limit, int seconds) =>
        await CountAsync(scope, identity, limit, seconds) is { } wait ? Throttled(wait) : null;

    public static IResult Throttled(int wait) => new ThrottledResult(wait);

    private sealed class ThrottledResult(int wait) : IResult
    {
        public Task ExecuteAsync(HttpContext ctx)
        {
            ctx.Response.StatusCode = 429;
            ctx.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ctx.Response.WriteAsJsonAsync(new { detail = $"Request was throttled. Expected available in {wait} seconds." });
        }
    }
}
