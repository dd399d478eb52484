using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>One Prometheus metric family: counter, gauge or histogram, with optional label sets.</summary>
public sealed class Family(string name, string help, string type, double[]? buckets = null)
{
    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly ConcurrentDictionary<string, double[]> _series = new(StringComparer.Ordinal);
    private readonly double[] _buckets = type == "histogram" ? buckets ?? DefaultBuckets : [];
    private readonly Lock _gate = new();

    public string Name => name;

    public void Inc(string labels = "", double by = 1) => Add(labels, by);

    public void Set(double value, string labels = "")
    {
        lock (_gate) Series(labels)[0] = value;
    }

    public void Observe(double value, string labels = "")
    {
        lock (_gate)
        {
            var s = Series(labels);
            for (var i = 0; i < _buckets.Length; i++) if (value <= _buckets[i]) s[i]++;
            s[_buckets.Length] += 1;     // count (+Inf)
            s[_buckets.Length + 1] += value; // sum
        }
    }

    private void Add(string labels, double by)
    {
        lock (_gate) Series(labels)[0] += by;
    }

    private double[] Series(string labels) =>
        _series.GetOrAdd(labels, _ => new double[type == "histogram" ? _buckets.Length + 2 : 1]);

    public void Write(StringBuilder sb)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        lock (_gate)
        {
            // Every family exposes at least one sample, so a scrape always sees it.
            if (_series.IsEmpty) Series("");
            foreach (var (labels, s) in _series.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (type != "histogram")
                {
                    sb.Append(name).Append(Braces(labels)).Append(' ').Append(Num(s[0])).Append('\n');
                    continue;
                }
                for (var i = 0; i < _buckets.Length; i++)
                    sb.Append(name).Append("_bucket").Append(Braces(Join(labels, $"le=\"{Num(_buckets[i])}\""))).Append(' ').Append(Num(s[i])).Append('\n');
                sb.Append(name).Append("_bucket").Append(Braces(Join(labels, "le=\"+Inf\""))).Append(' ').Append(Num(s[_buckets.Length])).Append('\n');
                sb.Append(name).Append("_count").Append(Braces(labels)).Append(' ').Append(Num(s[_buckets.Length])).Append('\n');
                sb.Append(name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Num(s[_buckets.Length + 1])).Append('\n');
            }
        }
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : $"{a},{b}";
    private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";
    private static string Num(double v) => v.ToString("G17", CultureInfo.InvariantCulture);
}

/// <summary>
/// The django-prometheus families of contract §6, fed by the platform's real counters and
/// exposed at /api/system/metrics/prometheus/.
/// </summary>
public static class Metrics
{
    public static readonly Family RequestTotal = new("django_request_total", "Total HTTP requests by method and status.", "counter");
    public static readonly Family RequestLatency = new("django_request_latency_seconds", "HTTP request latency in seconds.", "histogram");
    public static readonly Family RequestExceptions = new("django_request_exceptions_total", "Requests that raised an unhandled exception.", "counter");
    public static readonly Family RequestBodySize = new("django_request_body_size_bytes", "Request body sizes in bytes.", "histogram", [100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 50_000_000]);
    public static readonly Family ResponseBodySize = new("django_response_body_size_bytes", "Response body sizes in bytes.", "histogram", [100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000]);
    public static readonly Family DbExecute = new("django_db_execute_total", "Database statements executed.", "counter");
    public static readonly Family DbExecuteTime = new("django_db_execute_time_seconds", "Database statement duration in seconds.", "histogram");
    public static readonly Family DbConnections = new("django_db_connection_total", "Database connections opened.", "counter");
    public static readonly Family DbConnectionsAvailable = new("django_db_connection_available", "Idle connections available in the pool.", "gauge");
    public static readonly Family DbSlowQueries = new("django_db_slow_query_total", "Statements slower than 500 ms.", "counter");
    public static readonly Family CacheHits = new("django_cache_hits_total", "Cache hits.", "counter");
    public static readonly Family CacheMisses = new("django_cache_misses_total", "Cache misses.", "counter");
    public static readonly Family CacheLatency = new("django_cache_operations_latency_seconds", "Cache operation latency in seconds.", "histogram");
    public static readonly Family CacheSize = new("django_cache_size_bytes", "Bytes held in the cache.", "gauge");
    public static readonly Family AuthLogin = new("django_auth_login_total", "Login attempts by result.", "counter");
    public static readonly Family AuthLogout = new("django_auth_logout_total", "Logouts.", "counter");
    public static readonly Family AuthRefresh = new("django_auth_token_refresh_total", "Token refreshes.", "counter");
    public static readonly Family AuthFailed = new("django_auth_failed_attempts_total", "Failed login attempts.", "counter");
    public static readonly Family ActiveSessions = new("django_active_sessions", "Users holding a token.", "gauge");
    public static readonly Family MessagesSent = new("django_messages_sent_total", "Chat messages sent.", "counter");
    public static readonly Family AssignmentsSubmitted = new("django_assignments_submitted_total", "Assignment submissions.", "counter");
    public static readonly Family MaterialsAccessed = new("django_materials_accessed_total", "Material reads.", "counter");
    public static readonly Family PaymentsProcessed = new("django_payments_processed_total", "Payments by resulting status.", "counter");
    public static readonly Family WebSocketConnections = new("django_websocket_connections", "Open WebSocket connections.", "gauge");
    public static readonly Family NotificationsSent = new("django_notifications_sent_total", "Notifications sent.", "counter");
    public static readonly Family ModelOperations = new("django_model_operations_total", "Model writes by model and operation.", "counter");
    public static readonly Family CeleryTasks = new("django_celery_tasks_total", "Celery tasks by state.", "counter");
    public static readonly Family CeleryTaskDuration = new("django_celery_task_duration_seconds", "Celery task duration in seconds.", "histogram");
    public static readonly Family OrmQueries = new("django_orm_query_count_total", "ORM queries issued.", "counter");
    public static readonly Family TemplateRender = new("django_template_render_seconds", "Template render time in seconds.", "histogram");
    public static readonly Family StartupTime = new("django_startup_time_seconds", "Seconds from process start to ready.", "gauge");
    public static readonly Family MigrationsCompleted = new("django_migrations_completed_total", "Applied migrations.", "counter");

    public static readonly IReadOnlyList<Family> All =
    [
        RequestTotal, RequestLatency, RequestExceptions, RequestBodySize, ResponseBodySize,
        DbExecute, DbExecuteTime, DbConnections, DbConnectionsAvailable, DbSlowQueries,
        CacheHits, CacheMisses, CacheLatency, CacheSize,
        AuthLogin, AuthLogout, AuthRefresh, AuthFailed, ActiveSessions,
        MessagesSent, AssignmentsSubmitted, MaterialsAccessed, PaymentsProcessed, WebSocketConnections, NotificationsSent, ModelOperations,
        CeleryTasks, CeleryTaskDuration,
        OrmQueries, TemplateRender, StartupTime, MigrationsCompleted,
    ];

    /// <summary>The families the prometheus-families-missing fault drops (a half-wired exporter).</summary>
    public static readonly IReadOnlySet<string> DroppedByFault = new HashSet<string>(StringComparer.Ordinal)
    {
        "django_db_slow_query_total", "django_cache_size_bytes", "django_active_sessions", "django_websocket_connections",
        "django_payments_processed_total", "django_celery_task_duration_seconds", "django_migrations_completed_total",
    };

    public static string Exposition(FaultSet faults)
    {
        var sb = new StringBuilder();
        foreach (var f in All)
        {
            if (faults.Has(Fault.PrometheusFamiliesMissing) && DroppedByFault.Contains(f.Name)) continue;
            f.Write(sb);
        }
        return sb.ToString();
    }

    public static string Label(string name, string value) => $"{name}=\"{value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")}\"";
}
