using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>Django's SecurityMiddleware, CommonMiddleware host validation and XFrameOptionsMiddleware.</summary>
public static class Hardening
{
    public const int HstsSeconds = 31_536_000;
    public const int ShortHstsSeconds = 3600;
    /// <summary>Where redirect-to-other-host sends plain-HTTP visitors (a stale staging name).</summary>
    public const string OtherHost = "staging.thebot.example.com";
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public static void UseHardening(this WebApplication app, PlatformOptions options)
    {
        var faults = options.Faults;
        app.Use(async (ctx, next) =>
        {
            // Host validation (ALLOWED_HOSTS): 400 for any other Host.
            if (!faults.Has(Fault.UnknownHostAccepted) && !options.AllowedHosts.Contains(ctx.Request.Host.Host))
            {
                ctx.Response.StatusCode = 400;
                ctx.Response.ContentType = "text/html; charset=utf-8";
                await ctx.Response.WriteAsync(faults.Has(Fault.DebugMode)
                    ? DebugPages.DisallowedHost(ctx.Request.Host.Host, options)
                    : "<h1>Bad Request (400)</h1>");
                return;
            }

            var headers = ctx.Response.Headers;
            // is_secure(): TLS here, or TLS terminated by the proxy (SECURE_PROXY_SSL_HEADER).
            if (!faults.Has(Fault.NoHsts) && (ctx.Request.IsHttps || ctx.Request.Headers["X-Forwarded-Proto"] == "https"))
                headers.StrictTransportSecurity = faults.Has(Fault.ShortHsts)
                    ? $"max-age={ShortHstsSeconds}"
                    : $"max-age={HstsSeconds}; includeSubDomains; preload";
            if (!faults.Has(Fault.MissingSecurityHeaders))
            {
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }
            if (faults.Has(Fault.ServerBanner))
            {
                headers.Server = "nginx/1.18.0 (Ubuntu)";
                headers["X-Powered-By"] = "Django/4.2.7 Python/3.11";
            }
            await next();
        });
    }

    /// <summary>The plain-HTTP listener: 301 to the same host and path on HTTPS (nginx's port-80 server).</summary>
    public static void UseHttpsRedirectOnPlainPort(this WebApplication app, PlatformOptions options)
    {
        app.Use(async (ctx, next) =>
        {
            if (ctx.Request.IsHttps || ctx.Request.Headers["X-Forwarded-Proto"] == "https")
            {
                await next();
                return;
            }
            if (ctx.Request.Path == "/health")
            {
                await ctx.Response.WriteAsync("healthy\n");
                return;
            }
            if (options.Faults.Has(Fault.NoHttpsRedirect))
            {
                await next();
                return;
            }
            // nginx: a default server answers foreign Host headers with 400, never a redirect to them (host header poisoning).
            if (!options.Faults.Has(Fault.UnknownHostAccepted) && !options.AllowedHosts.Contains(ctx.Request.Host.Host))
            {
                ctx.Response.StatusCode = 400;
                return;
            }
            var host = options.Faults.Has(Fault.RedirectToOtherHost) ? OtherHost : ctx.Request.Host.Host;
            var port = options.HttpsPort == 443 || options.Faults.Has(Fault.RedirectToOtherHost) ? "" : $":{options.HttpsPort}";
            ctx.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            ctx.Response.Headers.Location = $"https://{host}{port}{ctx.Request.Path}{ctx.Request.QueryString}";
        });
    }
}
