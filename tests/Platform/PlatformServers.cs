using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gate.Fixtures.Embedded;
using Gate.Fixtures.Settings;
using Npgsql;
using StackExchange.Redis;
using Xunit;

[assembly: Xunit.AssemblyFixture(typeof(TheBot.Reference.Tests.PlatformServers))]

namespace TheBot.Reference.Tests;

/// <summary>
/// One local PostgreSQL and Redis for the whole run; each platform instance gets a fresh database
/// (so seeds and migrations start clean) and a flushed Redis (so throttle counters do not leak).
/// </summary>
public sealed class PlatformServers : IAsyncLifetime
{
    public const string YooKassaSecret = "test_webhook_secret";
    private readonly string _state = Path.Combine(Path.GetTempPath(), $"thebot-platform-tests-{Environment.ProcessId}");
    private IPostgresServer? _postgres;
    private IRedisServer? _redis;
    private int _databases;

    public IPostgresServer Postgres => _postgres ?? throw new InvalidOperationException("not started");
    public IRedisServer Redis => _redis ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync()
    {
        var options = new ServerOptions { StateDirectory = _state };
        var bin = LocalPostgres.FindBinaries() ?? throw new InvalidOperationException("PostgreSQL 15+ binaries not found under /usr/lib/postgresql");
        var redisBinary = LocalRedis.FindBinary() ?? throw new InvalidOperationException("redis-server not installed");
        var pg = LocalPostgres.CreateAsync(bin, options, CancellationToken.None);
        var redis = LocalRedis.CreateAsync(redisBinary, options, CancellationToken.None);
        _postgres = await pg;
        _redis = await redis;
    }

    private readonly Dictionary<string, Task<RunningPlatform>> _shared = new();
    private readonly Lock _sharedGate = new();

    /// <summary>One instance per key for the whole run (the contract tests share the clean one).</summary>
    public Task<RunningPlatform> SharedAsync(string key, string[] faults, IReadOnlyDictionary<string, string>? extra = null)
    {
        lock (_sharedGate)
        {
            if (!_shared.TryGetValue(key, out var task)) _shared[key] = task = StartAsync(faults, extra);
            return task;
        }
    }

    /// <summary>Starts the platform with these faults on a fresh database.</summary>
    public async Task<RunningPlatform> StartAsync(string[] faults, IReadOnlyDictionary<string, string>? extra = null)
    {
        var db = $"thebot_t{Interlocked.Increment(ref _databases)}";
        await using (var conn = new NpgsqlConnection(Postgres.AdminUrl.ToConnectionString().ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {db} OWNER thebot", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(AdminRedis()))
            await redis.GetServers()[0].FlushAllDatabasesAsync();

        var env = new Dictionary<string, string>
        {
            ["THEBOT_YOOKASSA_SHOP_ID"] = "123456",
            ["THEBOT_YOOKASSA_SECRET_KEY"] = YooKassaSecret,
            ["THEBOT_WEBHOOK_ALLOW_LOOPBACK"] = "true",
            ["THEBOT_BURST_RATE"] = "1000",
            ["THEBOT_SLOW_API_MS"] = "600",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) env[k] = v;
        var assembly = ReferencePlatform.Locate(null);
        var platform = await ReferencePlatform.StartAsync(assembly, Path.Combine(_state, db), new OtherDatabase(Postgres, db), Redis, faults, env, CancellationToken.None);
        return new RunningPlatform(platform, Postgres.AdminUrl with { Database = db });
    }

    private ConfigurationOptions AdminRedis()
    {
        var o = ConfigurationOptions.Parse($"{Redis.Url.Host}:{Redis.Url.Port}");
        o.Password = Redis.Url.Password;
        o.AllowAdmin = true;
        return o;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var task in _shared.Values)
            if (task.IsCompletedSuccessfully) await task.Result.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The same server, another database: the platform under test gets a clean one.</summary>
    private sealed class OtherDatabase(IPostgresServer inner, string database) : IPostgresServer
    {
        public DatabaseUrl ApplicationUrl => inner.ApplicationUrl with { Database = database };
        public DatabaseUrl AdminUrl => inner.AdminUrl;
        public string Kind => inner.Kind;
        public Task StopAsync() => inner.StopAsync();
        public Task StartAsync(CancellationToken ct) => inner.StartAsync(ct);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>A started platform plus a plain HttpClient (no redirects, no cookies, run CA trusted).</summary>
public sealed class RunningPlatform(ReferencePlatform platform, DatabaseUrl database) : IAsyncDisposable
{
    public const string Password = "seeded";
    private readonly Dictionary<string, string> _tokens = new();

    public ReferencePlatform Process => platform;
    public DatabaseUrl Database => database;
    public Uri BaseUrl => platform.BaseUrl;
    public string OpsDirectory => Path.Combine(platform.StateDirectory, "ops");

    public HttpClient Http { get; } = NewClient(platform.BaseUrl);

    public static HttpClient NewClient(Uri baseUrl, CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = cookies is not null,
            CookieContainer = cookies ?? new CookieContainer(),
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        return new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(20) };
    }

    public async Task<string> TokenAsync(string email)
    {
        if (_tokens.TryGetValue(email, out var token)) return token;
        using var response = await Http.PostAsJsonAsync("/api/auth/login/", new { email, password = platform.SeedPassword });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return _tokens[email] = body.GetProperty("data").GetProperty("token").GetString()!;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? asUser = null, object? json = null, HttpContent? content = null, IDictionary<string, string>? headers = null)
    {
        var response = await SendOnceAsync(method, path, asUser, json, content, headers);
        // One token per user: a test that signs in as this user directly replaces the cached token.
        // Sign in again and resend once (bodies built from `json` can be rebuilt; raw content cannot).
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized && asUser is not null && content is null)
        {
            response.Dispose();
            _tokens.Remove(asUser);
            response = await SendOnceAsync(method, path, asUser, json, null, headers);
        }
        return response;
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, string path, string? asUser, object? json, HttpContent? content, IDictionary<string, string>? headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (asUser is not null) request.Headers.TryAddWithoutValidation("Authorization", $"Token {await TokenAsync(asUser)}");
        if (json is not null) request.Content = JsonContent.Create(json);
        if (content is not null) request.Content = content;
        foreach (var (k, v) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(k, v);
        return await Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? asUser = null) => SendAsync(HttpMethod.Get, path, asUser);
    public Task<HttpResponseMessage> PostAsync(string path, string? asUser = null, object? json = null) => SendAsync(HttpMethod.Post, path, asUser, json);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await platform.DisposeAsync();
    }
}

public static class ResponseExtensions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static async Task<(int Status, JsonElement Body)> ReadAsync(this Task<HttpResponseMessage> pending)
    {
        using var response = await pending;
        var text = await response.Content.ReadAsStringAsync();
        JsonElement body = default;
        try { body = JsonDocument.Parse(text).RootElement.Clone(); } catch (JsonException) { }
        return ((int)response.StatusCode, body);
    }
}
