using Microsoft.AspNetCore.Server.Kestrel.Core;
using System.Diagnostics;
using System.Net;
using System.Security.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;
using StackExchange.Redis;
using TheBot.Reference.Data;
using TheBot.Reference.Features;
using TheBot.Reference.Platform;

var startedAt = Stopwatch.StartNew();
PlatformOptions options;
try
{
    options = PlatformOptions.Load(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"thebot-reference: {e.Message}");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

var certificate = Certificates.CreateServerCertificate(options);
Trace("certificate");
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = 210L * 1024 * 1024; // uploads are judged by the view (50 MB), not cut by the server
    var address = IPAddress.Parse(options.BindAddress);
    kestrel.Listen(address, options.HttpsPort, listen =>
    {
        // no-http2: the proxy's `listen 443 ssl` lost its `http2`: ALPN offers HTTP/1.1 only.
        listen.Protocols = options.Faults.Has(Fault.NoHttp2) ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
        listen.UseHttps(https =>
    {
        https.ServerCertificate = certificate;
        // weak-tls: TLS 1.0/1.1 enabled as well. The process only offers them when OpenSSL allows
        // it too: the gate's launcher sets OPENSSL_CONF (MinProtocol = TLSv1, SECLEVEL=0) for this fault.
#pragma warning disable SYSLIB0039 // TLS 1.0/1.1 are obsolete: that is the fault
        https.SslProtocols = options.Faults.Has(Fault.WeakTls)
            ? SslProtocols.Tls | SslProtocols.Tls11 | SslProtocols.Tls12 | SslProtocols.Tls13
            : options.Faults.Has(Fault.NoTls13)
                ? SslProtocols.Tls12 // no-tls13: an old `ssl_protocols TLSv1.2;` line
                : SslProtocols.Tls12 | SslProtocols.Tls13;
#pragma warning restore SYSLIB0039
    });
    });
    kestrel.Listen(address, options.HttpPort);
});
builder.Services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = 210L * 1024 * 1024);

builder.Services.AddSingleton(options);
builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(options.DatabaseConnectionString).Build());
builder.Services.AddSingleton<IConnectionMultiplexer>(_ =>
{
    var redis = ConfigurationOptions.Parse(options.RedisConfiguration);
    redis.AbortOnConnectFail = false;
    redis.ConnectTimeout = 3000;
    redis.SyncTimeout = 3000;
    return ConnectionMultiplexer.Connect(redis);
});
builder.Services.AddSingleton<Database>();
builder.Services.AddSingleton<TokenAuth>();
builder.Services.AddSingleton<Logs>();
builder.Services.AddSingleton<Sessions>();
builder.Services.AddSingleton<Throttle>();
builder.Services.AddSingleton<ChatHub>();
builder.Services.AddSingleton<SentryReporter>();
builder.Services.AddSingleton<DependencyProbe>();
builder.Services.AddSingleton<RequestMetrics>();
builder.Services.AddHostedService<TaskWorker>();

var app = builder.Build();

var database = app.Services.GetRequiredService<Database>();
Trace("built");
await database.MigrateAndSeedAsync(CancellationToken.None);
Trace("migrated");
// Applied migrations of this database (a pending one shows as a gap against migrations.json).
Metrics.MigrationsCompleted.Inc(by: await database.ScalarAsync<long>("SELECT count(*) FROM django_migrations", CancellationToken.None));
var logs = app.Services.GetRequiredService<Logs>();
if (options.Faults.Has(Fault.SecretInLogs))
    logs.Error.Write($"settings loaded: DEBUG=False SECRET_KEY={options.SecretKey} DATABASE={options.DatabaseConnectionString}");

if (options.WriteOpsArtefactsOnly is { } opsOnly)
{
    await OpsArtefacts.WriteAsync(options with { OpsDirectory = opsOnly }, database, CancellationToken.None);
    await TheBot.Reference.Ops.OperationsArtefacts.WriteAsync(options with { OpsDirectory = opsOnly }, CancellationToken.None);
    Console.WriteLine($"THEBOT OPS ARTEFACTS {Path.GetFullPath(opsOnly)}");
    return 0;
}

var metrics = app.Services.GetRequiredService<RequestMetrics>();
var sentry = app.Services.GetRequiredService<SentryReporter>();
var throttle = app.Services.GetRequiredService<Throttle>();
var sessions = app.Services.GetRequiredService<Sessions>();
var tokenAuth = app.Services.GetRequiredService<TokenAuth>();
var redisConnection = app.Services.GetRequiredService<IConnectionMultiplexer>();
long apiRequests = 0;

app.Use((ctx, next) => metrics.Track(ctx, () => next(ctx)));
app.Use((ctx, next) =>
{
    // Django answers HEAD with the GET view's headers and no body.
    if (HttpMethods.IsHead(ctx.Request.Method))
    {
        ctx.Request.Method = HttpMethods.Get;
        ctx.Response.Body = Stream.Null;
    }
    return next(ctx);
});
app.UseRouting(); // after the HEAD rewrite, so HEAD selects the GET endpoint
app.UseHttpsRedirectOnPlainPort(options);
app.UseHardening(options);
app.Use(async (ctx, next) =>
{
    // Production error handling: a generic body, never a traceback (unless the debug-mode fault).
    try
    {
        await next(ctx);
        if (ctx.Response.StatusCode == 405 && !ctx.Response.HasStarted)
            await ctx.Response.WriteAsJsonAsync(new { detail = $"Method \"{ctx.Request.Method}\" not allowed." });
    }
    catch (Exception e) when (!ctx.Response.HasStarted && e is not OperationCanceledException)
    {
        Metrics.RequestExceptions.Inc(Metrics.Label("type", e.GetType().Name));
        logs.Error.Write($"Internal Server Error: {ctx.Request.Path} {e.GetType().Name}: {e.Message}");
        sentry.Capture(e, ctx);
        ctx.Response.Clear();
        ctx.Response.StatusCode = 500;
        if (options.Faults.Has(Fault.DebugMode))
        {
            ctx.Response.ContentType = "text/html; charset=utf-8";
            await ctx.Response.WriteAsync(DebugPages.ServerError(e, ctx, options));
        }
        else await ctx.Response.WriteAsJsonAsync(new { detail = "A server error occurred." });
    }
});
app.Use((ctx, next) => CrossSite.CorsAsync(ctx, options, () => next(ctx)));
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
app.Use(async (ctx, next) =>
{
    var path = ctx.Request.Path.Value ?? "";
    var api = path.StartsWith("/api/", StringComparison.Ordinal) || path == "/api";
    var error = await tokenAuth.AuthenticateAsync(ctx, sessions, options);
    if (error is not null && (api || path.StartsWith("/ws/", StringComparison.Ordinal) || path.StartsWith("/media/", StringComparison.Ordinal)))
    {
        ctx.Response.StatusCode = 401;
        ctx.Response.Headers.WWWAuthenticate = "Token";
        await ctx.Response.WriteAsJsonAsync(new { detail = error });
        return;
    }
    if (api)
    {
        // Every API path ends in "/": without it, 404 and no redirect (APPEND_SLASH off).
        if (!path.EndsWith('/'))
        {
            await WriteNotFoundAsync(ctx);
            return;
        }
        if (await throttle.BurstAsync(ctx) is { } throttled)
        {
            await throttled.ExecuteAsync(ctx);
            return;
        }
        if (CrossSite.Csrf(ctx, options) is { } refused)
        {
            await refused.ExecuteAsync(ctx);
            return;
        }
        var probe = path.StartsWith("/api/system/health/", StringComparison.Ordinal) || path == "/api/system/readiness/";
        if (options.Faults.Has(Fault.SlowApi)) await Task.Delay(options.SlowApiMilliseconds, ctx.RequestAborted);
        // error-burst: a worker that crashes on every 50th API request (2 %), deterministic.
        if (options.Faults.Has(Fault.ErrorBurst) && !probe && Interlocked.Increment(ref apiRequests) % 50 == 0)
            throw new InvalidOperationException("worker crashed (error-burst fault)");
        await ResponseCache.HandleAsync(ctx, options, redisConnection, () => next(ctx));
        return;
    }
    await next(ctx);
});

app.MapHealth();
app.MapHealthExtras(options);
app.MapAuth();
app.MapMaterials();
app.MapAssignments();
app.MapDashboards();
app.MapChat(options);
app.MapReports();
app.MapPayments(options);
app.MapApplications();
app.MapAdminUsers();
app.MapAdminReports();
app.MapMedia(options);
app.MapWebSockets(options);
app.MapFrontend(options);
TheBot.Reference.Ops.OperationsArtefacts.MapOperations(app, options);
app.MapFallback(async ctx => await WriteNotFoundAsync(ctx));
void Trace(string step)
{
    if (Environment.GetEnvironmentVariable("THEBOT_TRACE_STARTUP") == "1") Console.WriteLine($"startup: {step} at {startedAt.Elapsed.TotalSeconds:F2}s");
}

// The gate's launcher passes its pid: when the launcher dies, the platform stops instead of lingering.
static void WatchParent(IHostApplicationLifetime lifetime)
{
    if (!int.TryParse(Environment.GetEnvironmentVariable("THEBOT_PARENT_PID"), out var parent)) return;
    _ = Task.Run(async () =>
    {
        while (!lifetime.ApplicationStopping.IsCancellationRequested)
        {
            await Task.Delay(2000).ConfigureAwait(false);
            try { using var p = Process.GetProcessById(parent); if (p.HasExited) break; }
            catch (ArgumentException) { break; }
        }
        lifetime.StopApplication();
    });
}

async Task WriteNotFoundAsync(HttpContext ctx)
{
    var path = ctx.Request.Path.Value ?? "";
    ctx.Response.StatusCode = 404;
    if (options.Faults.Has(Fault.DebugMode))
    {
        ctx.Response.ContentType = "text/html; charset=utf-8";
        var routes = app.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? "").Where(r => r.Length > 0).Distinct().Order();
        await ctx.Response.WriteAsync(DebugPages.NotFound(ctx, routes));
    }
    else if (path.StartsWith("/api", StringComparison.Ordinal))
        await ctx.Response.WriteAsJsonAsync(new { detail = "Not found." });
    else
    {
        ctx.Response.ContentType = "text/html; charset=utf-8";
        await ctx.Response.WriteAsync("<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Страница не найдена</title></head><body><h1>Not Found</h1><p>The requested resource was not found on this server.</p></body></html>");
    }
}

// The ops artefacts (pg_dump included) are written while Kestrel starts, and are complete before READY.
var ops = Task.Run(() => OpsArtefacts.WriteAsync(options, database, CancellationToken.None));
await app.StartAsync();
Trace("kestrel");
await ops;
await TheBot.Reference.Ops.OperationsArtefacts.WriteAsync(options, CancellationToken.None);
Trace("ops");
Metrics.StartupTime.Set(startedAt.Elapsed.TotalSeconds);
Console.WriteLine($"THEBOT READY {options.PublicHttpsOrigin} faults=[{string.Join(",", options.Faults.Active)}] startup={startedAt.Elapsed.TotalSeconds:F2}s");
WatchParent(app.Lifetime);
await app.WaitForShutdownAsync();
return 0;
