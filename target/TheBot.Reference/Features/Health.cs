using System.Diagnostics;
using Npgsql;
using StackExchange.Redis;
using TheBot.Reference.Data;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

public sealed record ComponentStatus(string Status, double ResponseMs, string? Error = null)
{
    public bool Healthy => Status == "healthy";
}

/// <summary>Probes the platform's dependencies the way the real readiness view does.</summary>
public sealed class DependencyProbe(Database db, IConnectionMultiplexer redis, PlatformOptions options)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public async Task<ComponentStatus> DatabaseAsync(CancellationToken ct)
    {
        // slow-health: the dependency probe waits on an exhausted connection pool; liveness, which
        // probes nothing, stays fast, so uptime monitors on readiness and health flap.
        if (options.Faults.Has(Fault.SlowHealth)) await Task.Delay(1500, ct);
        var sw = Stopwatch.StartNew();
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(ProbeTimeout);
            await using var cmd = db.DataSource.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(cts.Token);
            return new("healthy", sw.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            return new("unhealthy", sw.Elapsed.TotalMilliseconds, "database unreachable");
        }
    }

    public async Task<ComponentStatus> RedisAsync()
    {
        var sw = Stopwatch.StartNew();
        try
        {
            if (!redis.IsConnected) return new("unhealthy", 0, "redis unreachable");
            await redis.GetDatabase().PingAsync().WaitAsync(ProbeTimeout);
            return new("healthy", sw.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new("unhealthy", sw.Elapsed.TotalMilliseconds, "redis unreachable");
        }
    }

    /// <summary>The Celery stand-in's heartbeat in Redis (see <see cref="TaskWorker"/>).</summary>
    public async Task<(ComponentStatus Status, int Workers, long QueueLength)> CeleryAsync()
    {
        try
        {
            var r = redis.GetDatabase();
            var beat = await r.StringGetAsync(TaskWorker.HeartbeatKey).WaitAsync(ProbeTimeout);
            var queue = await r.ListLengthAsync(TaskWorker.QueueKey).WaitAsync(ProbeTimeout);
            var alive = beat.HasValue && long.TryParse(beat.ToString(), out var ms)
                && DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - ms < TaskWorker.StaleAfter.TotalMilliseconds;
            return (new(alive ? "healthy" : "unhealthy", 0, alive ? null : "no celery worker answered"), alive ? 1 : 0, queue);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return (new("unhealthy", 0, "celery broker unreachable"), 0, 0);
        }
    }

    public bool Lies => options.Faults.Has(Fault.ReadinessLies);
}

public static class HealthEndpoints
{
    /// <summary>
    /// Liveness, readiness and startup answer anonymous callers (uptime monitors, orchestrator probes).
    /// health-behind-auth: the project's default IsAuthenticated permission reached these views
    /// (no AllowAny on them), so an anonymous probe gets 401.
    /// </summary>
    private static RouteHandlerBuilder PublicProbe(this RouteHandlerBuilder route) =>
        route.AddEndpointFilter(async (ctx, next) =>
            ctx.HttpContext.RequestServices.GetRequiredService<PlatformOptions>().Faults.Has(Fault.HealthBehindAuth)
            && string.IsNullOrEmpty(ctx.HttpContext.Request.Headers.Authorization)
                ? Results.Json(new { detail = "Authentication credentials were not provided." }, statusCode: 401)
                : await next(ctx));

    public static void MapHealth(this WebApplication app)
    {
        var started = DateTimeOffset.UtcNow;
        static string Now() => DateTimeOffset.UtcNow.ToString("O");

        app.MapGet("/api/system/health/live/", () => Results.Json(new { status = "healthy", timestamp = Now() })).PublicProbe();

        async Task<IResult> Ready(HttpContext ctx, DependencyProbe probe)
        {
            var database = await probe.DatabaseAsync(ctx.RequestAborted);
            var redis = await probe.RedisAsync();
            var (celery, workers, queue) = await probe.CeleryAsync();
            var healthy = probe.Lies || (database.Healthy && redis.Healthy && celery.Healthy);
            static object Component(ComponentStatus c, bool lie) => lie
                ? new { status = "healthy", response_time_ms = 0.0, error = (string?)null }
                : new { status = c.Status, response_time_ms = Math.Round(c.ResponseMs, 2), error = c.Error };
            return Results.Json(new
            {
                status = healthy ? "healthy" : "unhealthy",
                timestamp = Now(),
                components = new
                {
                    database = Component(database, probe.Lies),
                    redis = Component(redis, probe.Lies),
                    celery = new { status = probe.Lies ? "healthy" : celery.Status, workers = probe.Lies ? 1 : workers, queue_length = queue, error = probe.Lies ? null : celery.Error },
                },
            }, statusCode: healthy ? 200 : 503);
        }
        app.MapGet("/api/system/health/ready/", Ready).PublicProbe();
        app.MapGet("/api/system/readiness/", Ready).PublicProbe();

        app.MapGet("/api/system/health/startup/", async (HttpContext ctx, DependencyProbe probe) =>
        {
            var database = await probe.DatabaseAsync(ctx.RequestAborted);
            var redis = await probe.RedisAsync();
            var ok = database.Healthy && redis.Healthy;
            return Results.Json(new { status = ok ? "healthy" : "startup_failed", checks = new { database = database.Status, redis = redis.Status } }, statusCode: ok ? 200 : 503);
        }).PublicProbe();

        app.MapGet("/api/system/health/", async (HttpContext ctx, DependencyProbe probe) =>
        {
            if (StaffOnly(ctx) is { } refusal) return refusal;
            var database = await probe.DatabaseAsync(ctx.RequestAborted);
            var redis = await probe.RedisAsync();
            var (celery, workers, queue) = await probe.CeleryAsync();
            var disk = DiskPercent();
            var alerts = new List<string>();
            if (!database.Healthy) alerts.Add("database: " + database.Error);
            if (!redis.Healthy) alerts.Add("redis: " + redis.Error);
            if (!celery.Healthy) alerts.Add("celery: " + celery.Error);
            if (disk > 90) alerts.Add($"disk: {disk:F0}% used");
            var status = !database.Healthy || !redis.Healthy ? "critical" : alerts.Count > 0 ? "warning" : "healthy";
            static string Ok(bool healthy) => healthy ? "ok" : "failed";
            return Results.Json(new
            {
                status,
                timestamp = Now(),
                alerts,
                components = new
                {
                    critical = new
                    {
                        database = new { status = Ok(database.Healthy), response_time_ms = Math.Round(database.ResponseMs, 2) },
                        redis = new { status = Ok(redis.Healthy), response_time_ms = Math.Round(redis.ResponseMs, 2) },
                    },
                    warning = new
                    {
                        celery = new { status = Ok(celery.Healthy), workers, queue_length = queue },
                        disk = new { status = Ok(disk <= 90), percent = Math.Round(disk, 1) },
                    },
                },
            });
        });

        app.MapGet("/api/system/metrics/", (HttpContext ctx, RequestMetrics metrics) =>
        {
            if (StaffOnly(ctx) is { } refusal) return refusal;
            var process = Process.GetCurrentProcess();
            var gc = GC.GetGCMemoryInfo();
            return Results.Json(new
            {
                timestamp = Now(),
                uptime_seconds = (DateTimeOffset.UtcNow - started).TotalSeconds,
                cpu = new { percent = Math.Round(metrics.CpuPercent(), 1), cores = Environment.ProcessorCount },
                memory = new { rss_bytes = process.WorkingSet64, total_bytes = gc.TotalAvailableMemoryBytes, percent = Math.Round(100.0 * process.WorkingSet64 / Math.Max(1, gc.TotalAvailableMemoryBytes), 2) },
                disk = new { percent = Math.Round(DiskPercent(), 1) },
                network = new { connections = metrics.OpenConnections },
                database = new { pool = "npgsql" },
                requests = new { total = metrics.Requests },
                errors = new { total = metrics.Errors },
                latency = new { average_ms = Math.Round(metrics.AverageLatencyMs, 2) },
            });
        });
    }

    public static void MapHealthExtras(this WebApplication app, PlatformOptions options)
    {
        app.MapGet("/api/system/health/detailed/", async (HttpContext ctx, DependencyProbe probe, RequestMetrics metrics) =>
        {
            var database = await probe.DatabaseAsync(ctx.RequestAborted);
            var redis = await probe.RedisAsync();
            var (celery, workers, queue) = await probe.CeleryAsync();
            var process = Process.GetCurrentProcess();
            var gc = GC.GetGCMemoryInfo();
            var memory = 100.0 * process.WorkingSet64 / Math.Max(1, gc.TotalAvailableMemoryBytes);
            var disk = DiskPercent();
            var cpu = metrics.CpuPercent();
            var lies = probe.Lies;
            var status = lies || (database.Healthy && redis.Healthy) ? (celery.Healthy || lies) && disk <= 90 ? "healthy" : "degraded" : "unhealthy";
            static object C(string s, object extra) => new { status = s, details = extra };
            return Results.Json(new
            {
                status,
                timestamp = DateTimeOffset.UtcNow.ToString("O"),
                components = new
                {
                    database = C(lies ? "healthy" : database.Status, new { response_time_ms = Math.Round(database.ResponseMs, 2) }),
                    redis = C(lies ? "healthy" : redis.Status, new { response_time_ms = Math.Round(redis.ResponseMs, 2) }),
                    celery = C(lies ? "healthy" : celery.Status, new { workers, queue_length = queue }),
                    cpu = C(cpu < 90 ? "healthy" : "degraded", new { percent = Math.Round(cpu, 1), cores = Environment.ProcessorCount }),
                    memory = C(memory < 90 ? "healthy" : "degraded", new { percent = Math.Round(memory, 2), rss_bytes = process.WorkingSet64 }),
                    disk = C(disk <= 90 ? "healthy" : "degraded", new { percent = Math.Round(disk, 1) }),
                },
            });
        });

        app.MapGet("/api/system/health-check/", async (HttpContext ctx, DependencyProbe probe) =>
        {
            if (TokenAuth.CurrentUser(ctx) is null) return Drf.NotAuthenticated();
            var database = await probe.DatabaseAsync(ctx.RequestAborted);
            return Results.Json(new { status = database.Healthy ? "ok" : "error", database = database.Healthy ? "connected" : "disconnected", timestamp = DateTimeOffset.UtcNow.ToString("O") },
                statusCode: database.Healthy ? 200 : 503);
        });
        app.MapGet("/api/health-check/", (HttpContext ctx) => Results.Redirect("/api/system/health-check/"));

        app.MapGet("/api/system/metrics/prometheus/", async (HttpContext ctx, Database db) =>
        {
            // metrics-auth-required: the exposition sits behind the staff-only permission of /api/system/metrics/,
            // so a scraper without a staff token (Prometheus has none) gets 401.
            if (options.Faults.Has(Fault.MetricsAuthRequired) && StaffOnly(ctx) is { } refused) return refused;
            try
            {
                Metrics.ActiveSessions.Set(await db.ScalarAsync<long>("SELECT count(*) FROM authtoken_token", CancellationToken.None));
                Metrics.DbConnectionsAvailable.Set(Math.Max(0, 100 - await db.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()", CancellationToken.None)));
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { }
            return Results.Text(Metrics.Exposition(options.Faults), "text/plain; version=0.0.4; charset=utf-8");
        });

        app.MapGet("/api/test-sentry-error/", () =>
        {
            throw new InvalidOperationException("Sentry test error: deliberate exception from /api/test-sentry-error/");
#pragma warning disable CS0162 // the endpoint exists to fail
            return Results.Ok();
#pragma warning restore CS0162
        });
    }

    public static IResult? StaffOnly(HttpContext ctx) => TokenAuth.CurrentUser(ctx) switch
    {
        null => Drf.NotAuthenticated(),
        { IsStaff: false } => Drf.Forbidden(),
        _ => null,
    };

    public static double DiskPercent()
    {
        var drive = new DriveInfo(Path.GetTempPath());
        return 100.0 * (drive.TotalSize - drive.AvailableFreeSpace) / Math.Max(1, drive.TotalSize);
    }
}
