using System.Net;
using Npgsql;
using StackExchange.Redis;
using TheBot.Reference.Data;
using TheBot.Reference.Features;
using TheBot.Reference.Platform;

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
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    var address = IPAddress.Parse(options.BindAddress);
    kestrel.Listen(address, options.HttpsPort, listen => listen.UseHttps(certificate));
    kestrel.Listen(address, options.HttpPort);
});

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
builder.Services.AddSingleton<AuditLog>();
builder.Services.AddSingleton<DependencyProbe>();
builder.Services.AddSingleton<RequestMetrics>();
builder.Services.AddHostedService<TaskWorker>();

var app = builder.Build();

await app.Services.GetRequiredService<Database>().MigrateAndSeedAsync(CancellationToken.None);

var metrics = app.Services.GetRequiredService<RequestMetrics>();
app.Use((ctx, next) => metrics.Track(ctx, () => next(ctx)));
app.UseHttpsRedirectOnPlainPort(options);
app.UseHardening(options);
app.Use(async (ctx, next) =>
{
    // Production error handling: a generic page, never a traceback.
    try
    {
        await next(ctx);
    }
    catch (Exception e) when (!ctx.Response.HasStarted && e is not OperationCanceledException)
    {
        app.Logger.LogError(e, "unhandled error on {Path}", ctx.Request.Path);
        ctx.Response.Clear();
        ctx.Response.StatusCode = 500;
        await ctx.Response.WriteAsJsonAsync(new { detail = "A server error occurred." });
    }
});
app.UseWebSockets();
app.Use(async (ctx, next) =>
{
    if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/ws"))
    {
        var error = await ctx.RequestServices.GetRequiredService<TokenAuth>().AuthenticateAsync(ctx);
        if (error is not null)
        {
            ctx.Response.StatusCode = 401;
            await ctx.Response.WriteAsJsonAsync(new { detail = error });
            return;
        }
    }
    await next(ctx);
});

app.MapHealth();
app.MapAuth();
app.MapWebSockets(options);
app.MapFrontend(options);

await app.StartAsync();
Console.WriteLine($"THEBOT READY {options.PublicHttpsOrigin} faults=[{string.Join(",", options.Faults.Active)}]");
await app.WaitForShutdownAsync();
return 0;
