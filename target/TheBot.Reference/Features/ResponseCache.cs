using System.Diagnostics;
using StackExchange.Redis;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>
/// The Redis cache in front of a few GET views. Only anonymous-safe data is cached (subjects);
/// authenticated responses are `Cache-Control: private, no-store` with `Vary: Authorization, Cookie`.
/// The shared-cache-leak fault caches per-user views (me, dashboards) by URL alone, so one
/// user's answer is served to the next.
/// </summary>
public static class ResponseCache
{
    private static readonly string[] PublicViews = ["/api/materials/subjects/"];
    private static readonly string[] PerUserViews = ["/api/auth/me/", "/api/dashboard/", "/api/teacher/dashboard/", "/api/parent/children/", "/api/dashboard/student/progress/"];
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(300);

    public static async Task HandleAsync(HttpContext ctx, PlatformOptions options, IConnectionMultiplexer redis, Func<Task> next)
    {
        var path = ctx.Request.Path.Value ?? "";
        var leaky = options.Faults.Has(Fault.SharedCacheLeak) && PerUserViews.Any(p => path.StartsWith(p, StringComparison.Ordinal));
        var cacheable = HttpMethods.IsGet(ctx.Request.Method) && (leaky || PublicViews.Contains(path));
        if (!cacheable)
        {
            if (TokenAuth.CurrentUser(ctx) is not null && path.StartsWith("/api/", StringComparison.Ordinal))
                ctx.Response.OnStarting(() =>
                {
                    ctx.Response.Headers.CacheControl = "private, no-store";
                    ctx.Response.Headers.Vary = "Authorization, Cookie";
                    return Task.CompletedTask;
                });
            await next();
            return;
        }

        var key = $"views.cache:{path}{ctx.Request.QueryString}";
        var db = redis.GetDatabase();
        var sw = Stopwatch.StartNew();
        RedisValue cached = RedisValue.Null;
        try { cached = await db.StringGetAsync(key); }
        catch (Exception e) when (e is RedisException or TimeoutException) { }
        Metrics.CacheLatency.Observe(sw.Elapsed.TotalSeconds);
        if (cached.HasValue && (leaky || TokenAuth.CurrentUser(ctx) is not null))
        {
            Metrics.CacheHits.Inc();
            ctx.Response.ContentType = "application/json; charset=utf-8";
            ctx.Response.Headers.CacheControl = "public, max-age=300";
            ctx.Response.Headers["X-Cache"] = "HIT";
            await ctx.Response.WriteAsync(cached.ToString());
            return;
        }
        Metrics.CacheMisses.Inc();
        var original = ctx.Response.Body;
        using var buffer = new MemoryStream();
        ctx.Response.Body = buffer;
        try
        {
            await next();
        }
        finally
        {
            ctx.Response.Body = original;
        }
        if (ctx.Response.StatusCode == 200)
        {
            ctx.Response.Headers.CacheControl = "public, max-age=300";
            ctx.Response.Headers["X-Cache"] = "MISS";
            try
            {
                await db.StringSetAsync(key, buffer.ToArray(), Ttl);
                Metrics.CacheSize.Inc(by: buffer.Length);
            }
            catch (Exception e) when (e is RedisException or TimeoutException) { }
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, ctx.RequestAborted);
    }
}
