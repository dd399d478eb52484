using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using FluentAssertions;
using Gate.Fixtures.Embedded;
using Npgsql;
using Xunit;

namespace TheBot.Reference.Tests;

/// <summary>
/// Every fault in target/FAULTS.md flips the behaviour it claims: each row starts its own platform
/// with only that fault on a fresh database and probes the misbehaviour (the clean behaviour is
/// covered by <see cref="ContractTests"/>).
/// </summary>
public sealed class FaultTests(PlatformServers servers)
{
    public static readonly string[] PrometheusFamilies =
    [
        "django_request_total", "django_request_latency_seconds", "django_request_exceptions_total", "django_request_body_size_bytes", "django_response_body_size_bytes",
        "django_db_execute_total", "django_db_execute_time_seconds", "django_db_connection_total", "django_db_connection_available", "django_db_slow_query_total",
        "django_cache_hits_total", "django_cache_misses_total", "django_cache_operations_latency_seconds", "django_cache_size_bytes",
        "django_auth_login_total", "django_auth_logout_total", "django_auth_token_refresh_total", "django_auth_failed_attempts_total", "django_active_sessions",
        "django_messages_sent_total", "django_assignments_submitted_total", "django_materials_accessed_total", "django_payments_processed_total",
        "django_websocket_connections", "django_notifications_sent_total", "django_model_operations_total",
        "django_celery_tasks_total", "django_celery_task_duration_seconds",
        "django_orm_query_count_total", "django_template_render_seconds", "django_startup_time_seconds", "django_migrations_completed_total",
    ];

    private const string Student = "student@test.com", Teacher = "teacher@test.com", Parent = "parent@test.com";
    private static readonly string LegacyOpenSsl = WriteLegacyOpenSsl();

    /// <summary>Faults the gate's launcher applies to PostgreSQL/Redis: the platform only has to accept the names.</summary>
    private static readonly string[] EnvironmentOnly =
        ["db-without-ssl", "redis-without-password", "redis-without-persistence", "db-app-superuser", "redis-memory-small", "memory-limit-too-tight",
         "database-exposed", "no-forward-secrecy", "env-in-git", "env-staging-values", "ssh-password-auth", "ssh-root-login"];

    /// <summary>Faults the launcher applies alone (it stops a server, withholds a setting, breaks the media volume); the platform never sees the name.</summary>
    private static readonly string[] LauncherOnly = ["postgres-down", "redis-down", "payments-unconfigured", "media-unwritable"];

    private static readonly Dictionary<string, Func<RunningPlatform, Task>> Probes = new()
    {
        ["no-https-redirect"] = async p => (await Plain(p).GetAsync("/api/system/health/live/")).StatusCode.Should().Be(HttpStatusCode.OK),
        ["redirect-to-other-host"] = async p => (await Plain(p).GetAsync("/x")).Headers.Location!.Host.Should().NotBe(p.BaseUrl.Host),
        ["no-hsts"] = async p => (await p.GetAsync("/api/system/health/live/")).Headers.Contains("Strict-Transport-Security").Should().BeFalse(),
        ["short-hsts"] = async p => (await p.GetAsync("/api/system/health/live/")).Headers.GetValues("Strict-Transport-Security").Single().Should().Be("max-age=3600"),
        ["expired-certificate"] = async p => (await Certificate(p)).Cert.NotAfter.Should().BeBefore(DateTime.Now),
        ["hostname-mismatch-certificate"] = async p => (await Certificate(p)).Errors.Should().HaveFlag(SslPolicyErrors.RemoteCertificateNameMismatch),
        ["weak-tls"] = async p => (await OpenSslTls1(p)).Should().Contain("Protocol  : TLSv1\n"),
        ["weak-certificate-key"] = async p => (await Certificate(p)).Cert.GetRSAPublicKey()!.KeySize.Should().Be(1024),
        ["sha1-certificate-signature"] = async p => (await Certificate(p)).Cert.SignatureAlgorithm.Value.Should().Be("1.2.840.113549.1.1.5"),
        ["health-behind-auth"] = async p => (await p.GetAsync("/api/system/health/live/")).StatusCode.Should().Be(HttpStatusCode.Unauthorized),
        ["slow-health"] = async p =>
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await p.GetAsync("/api/system/health/ready/");
            watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(1400));
        },
        ["no-tls13"] = async p => (await Handshake(p, System.Security.Authentication.SslProtocols.Tls13)).Should().BeNull("TLS 1.3 is not offered"),
        ["no-http2"] = async p => (await Handshake(p, System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13)).Should().Be(System.Net.Security.SslApplicationProtocol.Http11),
        ["volume-backup-missing"] = p =>
        {
            Directory.GetFiles(Path.Combine(p.OpsDirectory, "backups"), "media_backup_*.tar.gz").Should().BeEmpty();
            return Task.CompletedTask;
        },
        ["unknown-host-accepted"] = async p => (await p.SendAsync(HttpMethod.Get, "/api/system/health/live/", headers: Host("evil.example.com"))).StatusCode.Should().Be(HttpStatusCode.OK),
        ["server-banner"] = async p => (await p.GetAsync("/api/system/health/live/")).Headers.Contains("Server").Should().BeTrue(),
        ["missing-security-headers"] = async p => (await p.GetAsync("/api/system/health/live/")).Headers.Contains("X-Frame-Options").Should().BeFalse(),
        ["cors-wildcard-with-credentials"] = async p => (await p.SendAsync(HttpMethod.Get, "/api/system/health/live/", headers: Origin())).Headers.GetValues("Access-Control-Allow-Origin").Single().Should().Be("*"),
        ["cors-reflect-any-origin"] = async p => (await p.SendAsync(HttpMethod.Get, "/api/system/health/live/", headers: Origin())).Headers.GetValues("Access-Control-Allow-Origin").Single().Should().Be("https://evil.example.com"),
        ["insecure-cookies"] = async p => (await p.PostAsync("/api/auth/login/", json: new { email = Student, password = p.Process.SeedPassword })).Headers.GetValues("Set-Cookie").Should().Contain(c => c.StartsWith("sessionid=") && !c.Contains("secure")),
        ["csrf-off"] = async p =>
        {
            var cookies = new CookieContainer();
            using var browser = RunningPlatform.NewClient(p.BaseUrl, cookies);
            await browser.PostAsJsonAsync("/api/auth/login/", new { email = Student, password = p.Process.SeedPassword });
            var tutor = (await p.GetAsync("/api/chat/contacts/", Student).ReadAsync()).Body.GetProperty("results")[0].GetProperty("id").GetInt32();
            (await browser.PostAsJsonAsync("/api/chat/", new { recipient_id = tutor })).StatusCode.Should().Be(HttpStatusCode.Created);
        },
        ["debug-mode"] = async p => (await (await p.GetAsync("/api/nope/")).Content.ReadAsStringAsync()).Should().Contain("DEBUG = True"),
        ["sql-injection"] = async p =>
        {
            var (status, body) = await p.GetAsync("/api/materials/materials/?search=%27", Student).ReadAsync();
            status.Should().Be(500);
            body.GetProperty("error").GetString().Should().StartWith("Database error");
            var truthy = (await p.GetAsync("/api/materials/materials/?search=" + Uri.EscapeDataString("%' AND 1=1 AND '%'='"), Student).ReadAsync()).Body.GetProperty("count").GetInt32();
            var falsy = (await p.GetAsync("/api/materials/materials/?search=" + Uri.EscapeDataString("%' AND 1=2 AND '%'='"), Student).ReadAsync()).Body.GetProperty("count").GetInt32();
            truthy.Should().BeGreaterThan(falsy);
        },
        ["reflected-xss"] = async p => (await (await p.GetAsync("/materials?search=%3Cscript%3Ealert(1)%3C%2Fscript%3E")).Content.ReadAsStringAsync()).Should().Contain("<script>alert(1)</script>"),
        ["stored-xss"] = async p =>
        {
            var (_, m) = await p.PostAsync("/api/materials/materials/", Teacher, new { title = "<img src=x onerror=alert(1)>", content = "Достаточно длинный текст", subject = 1, is_public = true }).ReadAsync();
            (await (await p.GetAsync($"/materials/{m.GetProperty("id").GetInt32()}", Student)).Content.ReadAsStringAsync()).Should().Contain("<img src=x onerror=alert(1)>");
        },
        ["auth-bypass"] = async p => (await p.GetAsync("/api/auth/me/")).StatusCode.Should().Be(HttpStatusCode.OK),
        ["idor"] = async p => (await p.GetAsync("/api/chat/1/messages/", Parent)).StatusCode.Should().Be(HttpStatusCode.OK),
        ["role-escalation"] = async p => (await p.PostAsync("/api/materials/materials/", Student, new { title = "Эскалация", content = "Достаточно длинный текст", subject = 1 })).StatusCode.Should().Be(HttpStatusCode.Created),
        ["rate-limit-off"] = async p =>
        {
            for (var i = 0; i < 7; i++)
                (await p.PostAsync("/api/auth/login/", json: new { email = "nobody@test.com", password = "wrong" })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        },
        ["upload-unrestricted"] = async p =>
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent("Загрузка"), "title" }, { new StringContent("Достаточно длинный текст"), "content" }, { new StringContent("1"), "subject" },
                { new ByteArrayContent("<script>alert(1)</script>"u8.ToArray()), "file", "evil.html" },
            };
            (await p.SendAsync(HttpMethod.Post, "/api/materials/materials/", Teacher, content: form)).StatusCode.Should().Be(HttpStatusCode.Created);
        },
        ["webhook-unsigned-accepted"] = async p => (await p.PostAsync("/api/payments/yookassa-webhook/", json: new { @event = "payment.succeeded", @object = new { id = "x" } })).StatusCode.Should().NotBe(HttpStatusCode.Forbidden),
        ["shared-cache-leak"] = async p =>
        {
            var student = (await p.GetAsync("/api/auth/me/", Student).ReadAsync()).Body.GetProperty("id").GetInt32();
            (await p.GetAsync("/api/auth/me/", Teacher).ReadAsync()).Body.GetProperty("id").GetInt32().Should().Be(student);
        },
        ["secret-in-logs"] = p =>
        {
            File.ReadAllText(Path.Combine(p.Process.LogDirectory, "error.log")).Should().Contain("SECRET_KEY=");
            return Task.CompletedTask;
        },
        ["readiness-lies"] = async p => (await p.GetAsync("/api/system/readiness/")).StatusCode.Should().Be(HttpStatusCode.OK, "Redis is unreachable but readiness claims healthy"),
        ["slow-api"] = async p =>
        {
            var sw = Stopwatch.StartNew();
            (await p.GetAsync("/api/system/health/live/")).EnsureSuccessStatusCode();
            sw.ElapsedMilliseconds.Should().BeGreaterThanOrEqualTo(550);
        },
        ["error-burst"] = async p =>
        {
            var errors = 0;
            for (var i = 0; i < 100; i++) if ((await p.GetAsync("/api/payments/health/")).StatusCode == HttpStatusCode.InternalServerError) errors++;
            errors.Should().Be(2);
        },
        ["websocket-broken"] = async p =>
        {
            var connect = () => Ws.ConnectAsync(p, $"/ws/notifications/?token={new string('a', 40)}");
            await connect.Should().ThrowAsync<WebSocketException>();
        },
        ["payments-not-configured"] = async p =>
        {
            var (status, body) = await p.PostAsync("/api/payments/payments/", Student, new { amount = 100, service_name = "Урок", customer_fio = "Иван", description = "x", return_url = "" }).ReadAsync();
            status.Should().Be(400);
            body.GetProperty("error_type").GetString().Should().Be("configuration_error");
        },
        ["admin-not-staff"] = async p => (await p.GetAsync("/api/auth/me/", "admin@test.com").ReadAsync()).Body.GetProperty("is_staff").GetBoolean().Should().BeFalse(),
        ["frontend-broken"] = async p => (await p.GetAsync("/")).StatusCode.Should().Be(HttpStatusCode.BadGateway),
        ["migrations-pending"] = async p =>
        {
            await using var conn = new NpgsqlConnection(p.Database.ToConnectionString().ConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM django_migrations WHERE app = 'core' AND name = '0002_auditlog_indexes'", conn);
            ((long)(await cmd.ExecuteScalarAsync())!).Should().Be(0);
            File.ReadAllText(Path.Combine(p.OpsDirectory, "migrations.json")).Should().Contain("0002_auditlog_indexes");
        },
        ["audit-log-missing"] = async p =>
        {
            await p.TokenAsync(Student);
            File.Exists(Path.Combine(p.Process.LogDirectory, "audit.log")).Should().BeFalse();
        },
        ["prometheus-families-missing"] = async p => (await p.Http.GetStringAsync("/api/system/metrics/prometheus/")).Should().NotContain("# TYPE django_active_sessions "),
        ["metrics-auth-required"] = async p =>
        {
            (await p.GetAsync("/api/system/metrics/prometheus/")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a scraper without a token is refused");
            (await p.GetAsync("/api/system/metrics/prometheus/", "admin@test.com")).StatusCode.Should().Be(HttpStatusCode.OK, "staff still reads it");
        },
        ["sentry-not-configured"] = p =>
        {
            File.ReadAllText(Path.Combine(p.OpsDirectory, ".env")).Should().Contain("SENTRY_DSN=\n");
            return Task.CompletedTask;
        },
        ["env-insecure"] = p =>
        {
            var env = Path.Combine(p.OpsDirectory, ".env");
            File.ReadAllText(env).Should().Contain("DEBUG=True").And.Contain("SECRET_KEY=django-insecure-");
            File.GetUnixFileMode(env).Should().HaveFlag(UnixFileMode.OtherRead);
            return Task.CompletedTask;
        },
        ["nginx-insecure"] = p => Ops(p, "nginx.conf", "ssl_protocols TLSv1 TLSv1.1", "server_tokens on"),
        ["compose-unpinned"] = p => Ops(p, "docker-compose.yml", "postgres:latest"),
        ["compose-exposed-database"] = p => Ops(p, "docker-compose.yml", "\"5432:5432\"", "\"6379:6379\""),
        ["image-root-user"] = p => Ops(p, "backend-image-inspect.json", "\"User\": \"\""),
        ["image-oversized"] = p =>
        {
            var inspect = JsonDocument.Parse(File.ReadAllText(Path.Combine(p.OpsDirectory, "backend-image-inspect.json"))).RootElement[0];
            inspect.GetProperty("Size").GetInt64().Should().BeGreaterThan(400_000_000);
            return Task.CompletedTask;
        },
        ["backup-stale"] = p =>
        {
            var newest = Directory.GetFiles(Path.Combine(p.OpsDirectory, "backups"), "db_backup_*.sql.gz").Max(File.GetLastWriteTimeUtc);
            newest.Should().BeBefore(DateTime.UtcNow.AddDays(-1));
            return Task.CompletedTask;
        },
        ["image-secret-env"] = p => Ops(p, "backend-image-inspect.json", "SECRET_KEY="),
        ["image-critical-cve"] = p => Ops(p, "trivy/backend.json", "\"CRITICAL\""),
        ["image-latest-tag"] = p => Ops(p, "backend-image-inspect.json", "thebot-backend:latest"),
        ["compose-incomplete"] = p => Ops(p, "docker-compose.yml", "    depends_on:\n      - postgres\n"),
        ["compose-inline-secrets"] = p => Ops(p, "docker-compose.yml", "POSTGRES_PASSWORD: Sup3rS3cretPw"),
        ["nginx-invalid"] = p => Ops(p, "nginx.conf", "client_max_body_size 50m\n"),
        ["nginx-proxy-gaps"] = p => Ops(p, "nginx.conf", "return 302 https://"),
        ["prometheus-config-wrong"] = p => Ops(p, "prometheus.yml", "metrics_path: /metrics\n"),
        ["backup-offsite-missing"] = p =>
        {
            Directory.GetFiles(Path.Combine(p.OpsDirectory, "offsite")).Should().BeEmpty();
            return Task.CompletedTask;
        },
        ["backup-schedule-missing"] = p =>
        {
            File.ReadAllText(Path.Combine(p.OpsDirectory, "crontab")).Should().NotContain("pg_dump");
            return Task.CompletedTask;
        },
        ["static-not-collected"] = async p => (await p.GetAsync("/static/css/app.3f2a9c1e.css")).StatusCode.Should().Be(HttpStatusCode.NotFound),
        ["log-rotation-off"] = p =>
        {
            new FileInfo(Path.Combine(p.Process.LogDirectory, "celery.log")).Length.Should().BeGreaterThan(10 * 1024 * 1024);
            return Task.CompletedTask;
        },
        ["backup-corrupt"] = async p =>
        {
            var file = Directory.GetFiles(Path.Combine(p.OpsDirectory, "backups"), "db_backup_*.sql.gz").Single();
            var read = async () =>
            {
                await using var gz = new System.IO.Compression.GZipStream(File.OpenRead(file), System.IO.Compression.CompressionMode.Decompress);
                await gz.CopyToAsync(Stream.Null);
            };
            await read.Should().ThrowAsync<Exception>();
        },
    };

    /// <summary>Extra start-up settings a probe needs (a dead Redis for readiness-lies, a legacy OpenSSL policy for weak-tls).</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Environment = new()
    {
        ["readiness-lies"] = new() { ["THEBOT_REDIS"] = "127.0.0.1:1,connectTimeout=200" },
        ["weak-tls"] = new() { ["OPENSSL_CONF"] = LegacyOpenSsl },
        ["weak-certificate-key"] = new() { ["OPENSSL_CONF"] = LegacyOpenSsl },
        ["sha1-certificate-signature"] = new() { ["OPENSSL_CONF"] = LegacyOpenSsl },
    };

    public static TheoryData<string> AllFaults()
    {
        var data = new TheoryData<string>();
        foreach (var name in FaultsInDocumentation()) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllFaults))]
    public async Task Fault_flips_the_behaviour_it_claims(string fault)
    {
        Assert.SkipWhen(LauncherOnly.Contains(fault), "applied by the gate's launcher alone (it stops a server, withholds a setting or breaks the media volume); the fault matrix in tests/SelfTests covers it");
        await using var p = await servers.StartAsync([fault], Environment.GetValueOrDefault(fault));
        if (EnvironmentOnly.Contains(fault)) return; // started: the name is accepted; the launcher bends PostgreSQL/Redis
        Probes.Should().ContainKey(fault, "every documented fault needs a probe here");
        await Probes[fault](p);
    }

    [Fact]
    public void Every_probe_is_documented()
    {
        Probes.Keys.Concat(EnvironmentOnly).Concat(LauncherOnly).Should().BeEquivalentTo(FaultsInDocumentation());
    }

    [Theory]
    [InlineData("--faults=no-such-fault", "no-such-fault")]
    [InlineData("--secret-key=django-insecure-abcdefghijklmnopqrstuvwxyz0123456789abcdefghij", "THEBOT_SECRET_KEY")]
    [InlineData("--secret-key=tooshort", "THEBOT_SECRET_KEY")]
    [InlineData("--environment=staging", "THEBOT_ENVIRONMENT")]
    [InlineData("--allowed-hosts=*", "THEBOT_ALLOWED_HOSTS")]
    [InlineData("--cors-allowed-origins=http://localhost:3000", "THEBOT_CORS_ALLOWED_ORIGINS")]
    public async Task Unsafe_or_unknown_settings_stop_start_up_with_exit_code_2(string argument, string named)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(ReferencePlatform.Locate(null));
        psi.ArgumentList.Add(argument);
        using var process = Process.Start(psi)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(2);
        stderr.Should().Contain(named);
    }

    [Fact]
    public async Task Sentry_receives_the_test_error_envelope()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var p = await servers.StartAsync([], new Dictionary<string, string> { ["THEBOT_SENTRY_DSN"] = $"http://publickey123@127.0.0.1:{port}/42" });
        (await p.GetAsync("/api/test-sentry-error/")).StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = await listener.AcceptTcpClientAsync(timeout.Token);
        var stream = client.GetStream();
        var buffer = new byte[64 * 1024];
        var text = "";
        while (!text.Contains("\"type\":\"event\"") || !text.Contains("Sentry test error"))
        {
            var n = await stream.ReadAsync(buffer, timeout.Token);
            if (n == 0) break;
            text += System.Text.Encoding.UTF8.GetString(buffer, 0, n);
        }
        text.Should().StartWith("POST /api/42/envelope/ ");
        text.Should().Contain("sentry_key=publickey123");
        text.Should().Contain("Sentry test error");
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"u8.ToArray(), timeout.Token);
    }

    [Fact]
    public async Task Burst_and_login_throttles_answer_429_with_retry_after()
    {
        await using var p = await servers.StartAsync([], new Dictionary<string, string> { ["THEBOT_BURST_RATE"] = "10" });
        var token = await p.TokenAsync(Student);
        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me/");
            request.Headers.TryAddWithoutValidation("Authorization", "Token " + token);
            return await p.Http.SendAsync(request);
        }));
        var throttled = responses.Where(r => (int)r.StatusCode == 429).ToList();
        throttled.Should().NotBeEmpty();
        throttled[0].Headers.RetryAfter.Should().NotBeNull();
        (await throttled[0].JsonAsync()).GetProperty("detail").GetString().Should().StartWith("Request was throttled. Expected available in ");
        await Task.Delay(1100);
        var codes = new List<int>();
        for (var i = 0; i < 6; i++) codes.Add((int)(await p.PostAsync("/api/auth/login/", json: new { email = "ghost@test.com", password = "x" })).StatusCode);
        codes.Should().Equal(401, 401, 401, 401, 401, 429);
    }

    private static IEnumerable<string> FaultsInDocumentation()
    {
        var root = Gate.Fixtures.Settings.RepositoryRoot.Find() ?? throw new InvalidOperationException("checkout not found");
        return File.ReadAllLines(Path.Combine(root, "target", "FAULTS.md"))
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\| `([a-z0-9-]+)`"))
            .Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
    }

    /// <summary>One TLS handshake offering h2 and http/1.1; the negotiated ALPN protocol, or null when the handshake fails.</summary>
    private static async Task<System.Net.Security.SslApplicationProtocol?> Handshake(RunningPlatform p, System.Security.Authentication.SslProtocols protocols)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(p.BaseUrl.Host, p.BaseUrl.Port);
        await using var ssl = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        try
        {
            await ssl.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
            {
                TargetHost = p.BaseUrl.Host,
                EnabledSslProtocols = protocols,
                ApplicationProtocols = [System.Net.Security.SslApplicationProtocol.Http2, System.Net.Security.SslApplicationProtocol.Http11],
            });
            return ssl.NegotiatedApplicationProtocol;
        }
        catch (System.Security.Authentication.AuthenticationException) { return null; }
        catch (IOException) { return null; }
    }

    private static HttpClient Plain(RunningPlatform p) => RunningPlatform.NewClient(new Uri($"http://{p.BaseUrl.Host}:{p.Process.HttpPort}"));
    private static Dictionary<string, string> Host(string host) => new() { ["Host"] = host };
    private static Dictionary<string, string> Origin() => new() { ["Origin"] = "https://evil.example.com" };

    private static Task Ops(RunningPlatform p, string file, params string[] expected)
    {
        var text = File.ReadAllText(Path.Combine(p.OpsDirectory, file));
        foreach (var e in expected) text.Should().Contain(e);
        return Task.CompletedTask;
    }

    private static async Task<(X509Certificate2 Cert, SslPolicyErrors Errors)> Certificate(RunningPlatform p)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(p.BaseUrl.Host, p.BaseUrl.Port);
        X509Certificate2? seen = null;
        var errors = SslPolicyErrors.None;
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, cert, _, e) =>
        {
            seen = new X509Certificate2(cert!);
            errors = e;
            return true;
        });
        await ssl.AuthenticateAsClientAsync(p.BaseUrl.Host);
        return (seen!, errors);
    }

    private static async Task<string> OpenSslTls1(RunningPlatform p)
    {
        var psi = new ProcessStartInfo("openssl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "s_client", "-connect", $"{p.BaseUrl.Host}:{p.BaseUrl.Port}", "-tls1", "-cipher", "DEFAULT@SECLEVEL=0" }) psi.ArgumentList.Add(a);
        psi.Environment["OPENSSL_CONF"] = LegacyOpenSsl;
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    private static string WriteLegacyOpenSsl()
    {
        var path = Path.Combine(Path.GetTempPath(), $"thebot-platform-tests-openssl-{System.Environment.ProcessId}.cnf");
        File.WriteAllText(path, "openssl_conf = d\n[d]\nssl_conf = s\n[s]\nsystem_default = sd\n[sd]\nMinProtocol = TLSv1\nCipherString = DEFAULT@SECLEVEL=0\n");
        return path;
    }
}
