using System.Net;
using System.Text;
using System.Text.Json;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>
/// One of the contract's log files (§8), rotated at 10 MB × 10 like Django's RotatingFileHandler.
/// </summary>
public sealed class LogFile
{
    private const long MaxBytes = 10 * 1024 * 1024;
    private const int Backups = 10;
    private readonly string _path;
    private readonly string _prefix;
    private readonly bool _enabled;
    private readonly Lock _gate = new();

    public LogFile(string directory, string name, string prefix, bool enabled = true)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, name);
        _prefix = prefix;
        _enabled = enabled;
        if (enabled && !File.Exists(_path)) File.WriteAllText(_path, "");
    }

    public void Write(string message)
    {
        if (!_enabled) return;
        lock (_gate)
        {
            var info = new FileInfo(_path);
            if (info.Exists && info.Length > MaxBytes) Rotate();
            File.AppendAllText(_path, $"{_prefix} {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss,fff} {message.ReplaceLineEndings(" | ")}\n");
        }
    }

    private void Rotate()
    {
        File.Delete($"{_path}.{Backups}");
        for (var i = Backups - 1; i >= 1; i--)
            if (File.Exists($"{_path}.{i}")) File.Move($"{_path}.{i}", $"{_path}.{i + 1}");
        File.Move(_path, $"{_path}.1");
    }
}

/// <summary>audit.log, admin.log, celery.log and error.log in THEBOT_LOG_DIR.</summary>
public sealed class Logs(PlatformOptions options)
{
    /// <summary>Every login attempt (email, role, IP). The audit-log-missing fault never writes it.</summary>
    public LogFile Audit { get; } = new(options.LogDirectory, "audit.log", "[AUDIT]", !options.Faults.Has(Fault.AuditLogMissing));
    public LogFile Admin { get; } = new(options.LogDirectory, "admin.log", "[ADMIN]");
    public LogFile Celery { get; } = new(options.LogDirectory, "celery.log", "[CELERY]");
    public LogFile Error { get; } = new(options.LogDirectory, "error.log", "[ERROR]");
}

/// <summary>
/// A minimal Sentry SDK: events go as an envelope to {dsn host}/api/{project}/envelope/ with the
/// public key in X-Sentry-Auth. Initialised only with a DSN and ENVIRONMENT ≠ test; http is
/// accepted for loopback hosts only.
/// </summary>
public sealed class SentryReporter
{
    private readonly Uri? _endpoint;
    private readonly string _key = "";
    private readonly string _dsn;
    private readonly string _environment;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Logs _logs;

    public SentryReporter(PlatformOptions options, Logs logs)
    {
        _logs = logs;
        _dsn = options.SentryDsn;
        _environment = options.Environment;
        if (options.Faults.Has(Fault.SentryNotConfigured) || options.Environment == "test" || _dsn.Length == 0) return;
        if (!Uri.TryCreate(_dsn, UriKind.Absolute, out var dsn) || dsn.UserInfo.Length == 0) return;
        var loopback = dsn.IsLoopback || (IPAddress.TryParse(dsn.Host, out var ip) && IPAddress.IsLoopback(ip));
        if (dsn.Scheme != "https" && !(dsn.Scheme == "http" && loopback)) return;
        var project = dsn.AbsolutePath.Trim('/');
        _key = dsn.UserInfo.Split(':')[0];
        _endpoint = new Uri($"{dsn.Scheme}://{dsn.Authority}/api/{project}/envelope/");
    }

    public bool Enabled => _endpoint is not null;

    public void Capture(Exception e, HttpContext ctx)
    {
        if (_endpoint is null) return;
        var eventId = Guid.NewGuid().ToString("N");
        var evt = new
        {
            event_id = eventId,
            timestamp = DateTimeOffset.UtcNow.ToString("O"),
            platform = "python",
            level = "error",
            environment = _environment,
            release = "thebot@1.0.0",
            server_name = "thebot-backend",
            transaction = ctx.Request.Path.Value,
            request = new { url = $"{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.Path}", method = ctx.Request.Method },
            exception = new { values = new[] { new { type = e.GetType().Name, value = e.Message, module = e.GetType().Namespace } } },
            tags = new { component = "backend" },
        };
        var body = new StringBuilder()
            .Append(JsonSerializer.Serialize(new { event_id = eventId, dsn = _dsn, sent_at = DateTimeOffset.UtcNow.ToString("O") })).Append('\n')
            .Append(JsonSerializer.Serialize(new { type = "event", content_type = "application/json" })).Append('\n')
            .Append(JsonSerializer.Serialize(evt)).Append('\n')
            .ToString();
        _ = Task.Run(async () =>
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/x-sentry-envelope") };
                request.Headers.TryAddWithoutValidation("X-Sentry-Auth", $"Sentry sentry_version=7, sentry_key={_key}, sentry_client=thebot-reference/1.0");
                using var response = await _http.SendAsync(request);
                if (!response.IsSuccessStatusCode) _logs.Error.Write($"sentry rejected event {eventId}: {(int)response.StatusCode}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                _logs.Error.Write($"sentry unreachable for event {eventId}: {ex.Message}");
            }
        });
    }
}

/// <summary>What DEBUG=True shows: Django's technical 404 and 500 pages (the debug-mode fault).</summary>
public static class DebugPages
{
    public static string ServerError(Exception e, HttpContext ctx, PlatformOptions options) => $"""
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{Enc(e.GetType().Name)} at {Enc(ctx.Request.Path)}</title></head>
        <body><div id="summary"><h1>{Enc(e.GetType().Name)} at {Enc(ctx.Request.Path)}</h1><pre class="exception_value">{Enc(e.Message)}</pre>
        <table><tr><th>Request Method:</th><td>{ctx.Request.Method}</td></tr><tr><th>Django Version:</th><td>4.2.7</td></tr>
        <tr><th>Python Version:</th><td>3.11.6</td></tr></table></div>
        <div id="traceback"><h2>Traceback</h2><pre>Traceback (most recent call last):
        {Enc(e.ToString())}</pre></div>
        <div id="settings"><h2>Settings</h2><table>
        <tr><td>DEBUG</td><td>True</td></tr>
        <tr><td>ALLOWED_HOSTS</td><td>{Enc(string.Join(", ", options.AllowedHosts))}</td></tr>
        <tr><td>DATABASES</td><td>{Enc(MaskPassword(options.DatabaseConnectionString))}</td></tr>
        <tr><td>SECRET_KEY</td><td>********************</td></tr>
        <tr><td>CORS_ALLOWED_ORIGINS</td><td>{Enc(string.Join(", ", options.CorsAllowedOrigins))}</td></tr>
        </table></div>
        <p>You're seeing this error because you have <code>DEBUG = True</code> in your Django settings file.</p></body></html>
        """;

    public static string NotFound(HttpContext ctx, IEnumerable<string> routes) => $"""
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Page not found at {Enc(ctx.Request.Path)}</title></head>
        <body><h1>Page not found <span>(404)</span></h1><table><tr><th>Request Method:</th><td>{ctx.Request.Method}</td></tr>
        <tr><th>Request URL:</th><td>{Enc($"{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.Path}")}</td></tr></table>
        <p>Using the URLconf defined in <code>config.urls</code>, Django tried these URL patterns, in this order:</p>
        <ol>{string.Concat(routes.Select(r => $"<li>{Enc(r)}</li>"))}</ol>
        <p>You're seeing this error because you have <code>DEBUG = True</code> in your Django settings file. Change that to <code>False</code>, and Django will display a standard 404 page.</p>
        </body></html>
        """;

    public static string DisallowedHost(string host, PlatformOptions options) => $"""
        <!DOCTYPE html><html><head><title>DisallowedHost</title></head><body><h1>DisallowedHost at /</h1>
        <pre>Invalid HTTP_HOST header: '{Enc(host)}'. You may need to add '{Enc(host)}' to ALLOWED_HOSTS.</pre>
        <p>ALLOWED_HOSTS = {Enc(string.Join(", ", options.AllowedHosts))}</p>
        <p>You're seeing this error because you have <code>DEBUG = True</code> in your Django settings file.</p></body></html>
        """;

    private static string MaskPassword(string cs) =>
        System.Text.RegularExpressions.Regex.Replace(cs, "(?i)(password=)[^;]*", "$1********************");

    public static string Enc(string? s) => WebUtility.HtmlEncode(s ?? "");
}
