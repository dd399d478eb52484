using System.Security.Cryptography;
using StackExchange.Redis;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>
/// Django sessions in Redis: `sessionid` (Secure, HttpOnly, SameSite=Lax) and `csrftoken`
/// (Secure, SameSite=Lax, readable by the page's script so it can send X-CSRFToken).
/// </summary>
public sealed class Sessions(IConnectionMultiplexer redis, PlatformOptions options)
{
    public const string SessionCookie = "sessionid";
    public const string CsrfCookie = "csrftoken";
    public const string SessionItem = "thebot.session-auth";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(14);

    public async Task StartAsync(HttpContext ctx, int userId)
    {
        var sid = RandomNumberGenerator.GetHexString(32, lowercase: true);
        await redis.GetDatabase().StringSetAsync($"session:{sid}", userId, Lifetime);
        ctx.Response.Cookies.Append(SessionCookie, sid, Cookie(httpOnly: true, Lifetime));
        EnsureCsrfCookie(ctx, rotate: true);
    }

    public async Task EndAsync(HttpContext ctx)
    {
        if (ctx.Request.Cookies.TryGetValue(SessionCookie, out var sid))
            await redis.GetDatabase().KeyDeleteAsync($"session:{sid}");
        ctx.Response.Cookies.Delete(SessionCookie, Cookie(httpOnly: true, null));
    }

    public async Task<int?> UserIdAsync(HttpContext ctx)
    {
        if (!ctx.Request.Cookies.TryGetValue(SessionCookie, out var sid) || sid.Length != 32) return null;
        try
        {
            var value = await redis.GetDatabase().StringGetAsync($"session:{sid}");
            return value.HasValue && int.TryParse(value.ToString(), out var id) ? id : null;
        }
        catch (RedisException) { return null; }
    }

    /// <summary>Django's get_token(): a csrftoken cookie on every page that renders a form.</summary>
    public string EnsureCsrfCookie(HttpContext ctx, bool rotate = false)
    {
        if (!rotate && ctx.Request.Cookies.TryGetValue(CsrfCookie, out var existing) && existing.Length == 32) return existing;
        var token = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 32);
        ctx.Response.Cookies.Append(CsrfCookie, token, Cookie(httpOnly: false, TimeSpan.FromDays(365)));
        return token;
    }

    private CookieOptions Cookie(bool httpOnly, TimeSpan? maxAge)
    {
        var insecure = options.Faults.Has(Fault.InsecureCookies);
        return new CookieOptions
        {
            Path = "/",
            Secure = !insecure,
            HttpOnly = httpOnly && !insecure,
            SameSite = insecure ? SameSiteMode.Unspecified : SameSiteMode.Lax,
            MaxAge = maxAge,
            IsEssential = true,
        };
    }
}

/// <summary>CORS (django-cors-headers), CSRF (CsrfViewMiddleware via DRF SessionAuthentication).</summary>
public static class CrossSite
{
    public const string AllowHeaders = "accept, accept-encoding, authorization, content-type, dnt, origin, user-agent, x-csrftoken, x-requested-with";
    public const string AllowMethods = "DELETE, GET, OPTIONS, PATCH, POST, PUT";

    /// <summary>CORS: the exact allowed origin is echoed with credentials; others get no ACAO.</summary>
    public static async Task CorsAsync(HttpContext ctx, PlatformOptions options, Func<Task> next)
    {
        string? origin = ctx.Request.Headers.Origin;
        var headers = ctx.Response.Headers;
        if (!string.IsNullOrEmpty(origin))
        {
            headers.Vary = "Origin";
            var wildcard = options.Faults.Has(Fault.CorsWildcardWithCredentials);
            var allowed = options.Faults.Has(Fault.CorsReflectAnyOrigin)
                || options.CorsAllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
            if (wildcard || allowed)
            {
                headers.AccessControlAllowOrigin = wildcard ? "*" : origin;
                headers.AccessControlAllowCredentials = "true";
            }
            if (HttpMethods.IsOptions(ctx.Request.Method) && ctx.Request.Headers.ContainsKey("Access-Control-Request-Method"))
            {
                // Preflight: answered here; allowed origins get the headers and methods.
                if (wildcard || allowed)
                {
                    headers.AccessControlAllowHeaders = AllowHeaders;
                    headers.AccessControlAllowMethods = AllowMethods;
                    headers.AccessControlMaxAge = "86400";
                }
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentLength = 0;
                return;
            }
        }
        await next();
    }

    /// <summary>
    /// Cookie-authenticated unsafe requests need X-CSRFToken matching the csrftoken cookie and, over
    /// HTTPS, an Origin/Referer among the trusted origins. Token-authenticated API calls are exempt (DRF).
    /// </summary>
    public static IResult? Csrf(HttpContext ctx, PlatformOptions options)
    {
        if (options.Faults.Has(Fault.CsrfOff)) return null;
        var method = ctx.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method)) return null;
        if (ctx.Items[Sessions.SessionItem] is not true) return null;
        string? origin = ctx.Request.Headers.Origin;
        string? referer = ctx.Request.Headers.Referer;
        var source = !string.IsNullOrEmpty(origin) ? origin : referer;
        if (string.IsNullOrEmpty(source))
            return Refuse("Referer checking failed - no Referer.");
        if (!options.TrustedOrigins.Any(t => source.Equals(t, StringComparison.OrdinalIgnoreCase) || source.StartsWith(t + "/", StringComparison.OrdinalIgnoreCase)))
            return Refuse($"Origin checking failed - {source} does not match any trusted origins.");
        if (!ctx.Request.Cookies.TryGetValue(Sessions.CsrfCookie, out var cookie) || cookie.Length == 0)
            return Refuse("CSRF cookie not set.");
        string? header = ctx.Request.Headers["X-CSRFToken"];
        if (string.IsNullOrEmpty(header)) return Refuse("CSRF token missing.");
        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(header), System.Text.Encoding.ASCII.GetBytes(cookie)))
            return Refuse("CSRF token incorrect.");
        return null;
    }

    private static IResult Refuse(string reason) => Results.Json(new { detail = $"CSRF Failed: {reason}" }, statusCode: 403);
}
