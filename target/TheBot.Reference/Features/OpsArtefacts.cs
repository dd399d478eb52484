using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using TheBot.Reference.Data;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>
/// The deployment's operations artefacts, written where the gate can inspect them (THEBOT_OPS_DIR,
/// default {state}/ops): .env (mode 600), nginx site, docker-compose.yml, docker image-inspect
/// JSON, prometheus.yml, the release's migrations manifest and a backups folder with a real
/// gzip-compressed pg_dump. The ops faults bend these files the way a careless release would.
/// </summary>
public static class OpsArtefacts
{
    public const string Version = "1.0.0";
    public const string Domain = "thebot.example.com";

    public static async Task WriteAsync(PlatformOptions options, Database db, CancellationToken ct)
    {
        var dir = options.OpsDirectory;
        Directory.CreateDirectory(dir);
        var f = options.Faults;
        WriteEnv(dir, options);
        await File.WriteAllTextAsync(Path.Combine(dir, "nginx.conf"), Nginx(f), ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "docker-compose.yml"), Compose(f), ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "backend-image-inspect.json"), ImageInspect("thebot-backend", f.Has(Fault.ImageOversized) ? 1_287_000_000 : 312_400_000, f.Has(Fault.ImageRootUser) ? "" : "appuser", 8000), ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "frontend-image-inspect.json"), ImageInspect("thebot-frontend", f.Has(Fault.ImageOversized) ? 412_000_000 : 48_600_000, f.Has(Fault.ImageRootUser) ? "" : "nginx", 3000), ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "prometheus.yml"), Prometheus(), ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "migrations.json"), JsonSerializer.Serialize(
            Migrations.All.Select(m => new { app = m.App, name = m.Name }), new JsonSerializerOptions { WriteIndented = true }), ct);
        await WriteBackupsAsync(Path.Combine(dir, "backups"), options, ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "MANIFEST.json"), JsonSerializer.Serialize(new
        {
            version = Version,
            generated_at = DateTimeOffset.UtcNow.ToString("O"),
            files = new[] { ".env", "nginx.conf", "docker-compose.yml", "backend-image-inspect.json", "frontend-image-inspect.json", "prometheus.yml", "migrations.json", "backups/" },
        }, new JsonSerializerOptions { WriteIndented = true }), ct);
    }

    private static void WriteEnv(string dir, PlatformOptions o)
    {
        var insecure = o.Faults.Has(Fault.EnvInsecure);
        string Secret(int n) => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", n);
        var dbPassword = Secret(32);
        var redisPassword = Secret(32);
        var sentry = o.Faults.Has(Fault.SentryNotConfigured) ? "" : o.SentryDsn.Length > 0 ? o.SentryDsn : $"https://{Secret(32).ToLowerInvariant()}@o450000.ingest.sentry.io/5500000";
        var text = $"""
            # Core
            ENVIRONMENT=production
            DEBUG={(insecure ? "True" : "False")}
            SECRET_KEY={(insecure ? "django-insecure-change-me" : o.SecretKey)}
            ADMIN_SECRET_URL={(insecure ? "admin" : "manage-" + Secret(16).ToLowerInvariant())}

            # Database
            DATABASE_URL=postgresql://thebot:{dbPassword}@postgres:5432/thebot_prod
            DB_CONNECT_TIMEOUT=60
            DB_SSLMODE={(insecure ? "disable" : "require")}

            # Redis
            REDIS_URL=redis://:{redisPassword}@redis:6379/0
            REDIS_PASSWORD={redisPassword}
            USE_REDIS_CACHE=True

            # Web Server
            FRONTEND_URL=https://{Domain}
            ALLOWED_HOSTS={(insecure ? "*" : $"{Domain},www.{Domain},api.{Domain}")}
            API_URL=https://api.{Domain}
            WS_URL=wss://api.{Domain}/ws

            # CORS
            CORS_ALLOWED_ORIGINS={(insecure ? "http://localhost:3000,https://" + Domain : $"https://{Domain},https://www.{Domain}")}

            # External Services
            YOOKASSA_SHOP_ID={(insecure ? "<actual-shop-id>" : o.YooKassaShopId)}
            YOOKASSA_SECRET_KEY={(insecure ? "<actual-secret>" : o.YooKassaSecretKey)}
            OPENROUTER_API_KEY=sk-or-v1-{Secret(48).ToLowerInvariant()}
            PACHCA_FORUM_API_TOKEN={Secret(43)}
            TELEGRAM_BOT_TOKEN={RandomNumberGenerator.GetInt32(100000000, 999999999)}:{Secret(35)}

            # Email
            EMAIL_HOST=smtp.gmail.com
            EMAIL_PORT=587
            EMAIL_HOST_USER=noreply@{Domain}
            EMAIL_HOST_PASSWORD={Secret(16).ToLowerInvariant()}

            # Monitoring
            SENTRY_DSN={sentry}
            LOG_LEVEL=INFO

            """;
        var path = Path.Combine(dir, ".env");
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, insecure
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead
                : UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static string Nginx(FaultSet f)
    {
        var insecure = f.Has(Fault.NginxInsecure);
        var protocols = insecure ? "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3" : "TLSv1.2 TLSv1.3";
        var headers = insecure ? "" : $"""
                add_header Strict-Transport-Security "max-age={Hardening.HstsSeconds}; includeSubDomains; preload" always;
                add_header X-Frame-Options "DENY" always;
                add_header X-Content-Type-Options "nosniff" always;
                add_header Referrer-Policy "same-origin" always;
                add_header Cross-Origin-Opener-Policy "same-origin" always;
                add_header Content-Security-Policy "{Hardening.ContentSecurityPolicy}" always;
        """;
        var loginLimit = insecure ? "" : """
                location = /api/auth/login/ {
                    limit_req zone=login burst=3 nodelay;
                    limit_req_status 429;
                    proxy_pass http://backend;
                    proxy_set_header Host $host;
                    proxy_set_header X-Real-IP $remote_addr;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                }
        """;
        var ws = insecure ? """
                location /ws/ {
                    proxy_pass http://backend;
                }
        """ : """
                location /ws/ {
                    proxy_pass http://backend;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection "upgrade";
                    proxy_set_header Host $host;
                    proxy_set_header X-Real-IP $remote_addr;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_read_timeout 3600s;
                    proxy_send_timeout 3600s;
                    proxy_connect_timeout 60s;
                }
        """;
        return $$"""
            # THE_BOT production site (checklist §3.1, contract §9). Generated by the reference platform.
            server_tokens {{(insecure ? "on" : "off")}};
            limit_req_zone $binary_remote_addr zone=login:10m rate=5r/m;

            upstream backend { server backend:8000; }
            upstream frontend { server frontend:3000; }

            server {
                listen 80;
                listen [::]:80;
                server_name _;

                location = /health {
                    access_log off;
                    return 200 "healthy\n";
                }
                location / {
                    return 301 https://$host$request_uri;
                }
            }

            server {
                listen 443 ssl http2;
                listen [::]:443 ssl http2;
                server_name {{Domain}} www.{{Domain}} api.{{Domain}};

                ssl_certificate /etc/letsencrypt/live/{{Domain}}/fullchain.pem;
                ssl_certificate_key /etc/letsencrypt/live/{{Domain}}/privkey.pem;
                ssl_protocols {{protocols}};
                ssl_ciphers {{(insecure ? "ALL" : "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305")}};
                ssl_prefer_server_ciphers off;
                ssl_session_cache shared:SSL:10m;
                ssl_session_timeout 1d;
                ssl_stapling on;
                ssl_stapling_verify on;
                client_max_body_size 50m;

            {{headers}}
            {{loginLimit}}
                location /api/ {
                    proxy_pass http://backend;
                    proxy_set_header Host $host;
                    proxy_set_header X-Real-IP $remote_addr;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                }

            {{ws}}
                location /static/ {
                    alias /app/staticfiles/;
                    expires 30d;
                }

                location /media/ {
                    auth_request /api/auth/me/;
                    alias /app/media/;
                }

                location / {
                    proxy_pass http://frontend;
                    proxy_set_header Host $host;
                    proxy_set_header X-Forwarded-Proto $scheme;
                }
            }
            """;
    }

    private static string Compose(FaultSet f)
    {
        var unpinned = f.Has(Fault.ComposeUnpinned);
        var exposed = f.Has(Fault.ComposeExposedDatabase);
        string Tag(string pinned, string loose) => unpinned ? loose : pinned;
        string Limits(string cpus, string memory) => $"""
                deploy:
                  resources:
                    limits:
                      cpus: "{cpus}"
                      memory: {memory}
            """;
        return $"""
            # THE_BOT production stack (contract §9). Generated by the reference platform.
            name: thebot

            services:
              postgres:
                image: {Tag("postgres:15.8-alpine", "postgres:latest")}
                restart: unless-stopped
                environment:
                  POSTGRES_DB: thebot_prod
                  POSTGRES_USER: thebot
                  POSTGRES_PASSWORD: ${"{"}POSTGRES_PASSWORD:?set in .env{"}"}
                volumes:
                  - postgres_data:/var/lib/postgresql/data
            {(exposed ? "    ports:\n      - \"5432:5432\"\n" : "")}    healthcheck:
                  test: ["CMD-SHELL", "pg_isready -U thebot -d thebot_prod"]
                  interval: 10s
                  timeout: 5s
                  retries: 5
            {Limits("1.0", "1G")}
                networks: [backend]

              redis:
                image: {Tag("redis:7.2.5-alpine", "redis")}
                restart: unless-stopped
                command: ["redis-server", "--appendonly", "yes", "--requirepass", "${"{"}REDIS_PASSWORD:?set in .env{"}"}"]
                volumes:
                  - redis_data:/data
            {(exposed ? "    ports:\n      - \"6379:6379\"\n" : "")}    healthcheck:
                  test: ["CMD-SHELL", "redis-cli -a \"$$REDIS_PASSWORD\" ping | grep PONG"]
                  interval: 10s
                  timeout: 5s
                  retries: 5
            {Limits("0.5", "512M")}
                networks: [backend]

              backend:
                image: {Tag($"registry.example.com/thebot-backend:{Version}", "registry.example.com/thebot-backend:latest")}
                restart: unless-stopped
                command: ["daphne", "-b", "0.0.0.0", "-p", "8000", "config.asgi:application"]
                env_file: .env
                volumes:
                  - media_data:/app/media
                  - static_data:/app/staticfiles
                  - backend_logs:/app/logs
                depends_on:
                  postgres:
                    condition: service_healthy
                  redis:
                    condition: service_healthy
                healthcheck:
                  test: ["CMD", "curl", "-fsS", "http://localhost:8000/api/system/health/live/"]
                  interval: 30s
                  timeout: 10s
                  retries: 3
                  start_period: 120s
            {Limits("2.0", "2G")}
                networks: [backend, frontend]

              celery-worker:
                image: {Tag($"registry.example.com/thebot-backend:{Version}", "registry.example.com/thebot-backend:latest")}
                restart: unless-stopped
                command: ["celery", "-A", "config", "worker", "-l", "info"]
                env_file: .env
                volumes:
                  - backend_logs:/app/logs
                depends_on:
                  postgres:
                    condition: service_healthy
                  redis:
                    condition: service_healthy
                healthcheck:
                  test: ["CMD-SHELL", "celery -A config inspect ping -d celery@$$HOSTNAME"]
                  interval: 60s
                  timeout: 20s
                  retries: 3
            {Limits("1.0", "1G")}
                networks: [backend]

              celery-beat:
                image: {Tag($"registry.example.com/thebot-backend:{Version}", "registry.example.com/thebot-backend:latest")}
                restart: unless-stopped
                command: ["celery", "-A", "config", "beat", "-l", "info"]
                env_file: .env
                depends_on:
                  redis:
                    condition: service_healthy
                healthcheck:
                  test: ["CMD-SHELL", "test -f /tmp/celerybeat.pid"]
                  interval: 60s
                  timeout: 10s
                  retries: 3
            {Limits("0.25", "256M")}
                networks: [backend]

              frontend:
                image: {Tag($"registry.example.com/thebot-frontend:{Version}", "registry.example.com/thebot-frontend:latest")}
                restart: unless-stopped
                healthcheck:
                  test: ["CMD", "wget", "-qO-", "http://localhost:3000/"]
                  interval: 30s
                  timeout: 5s
                  retries: 3
            {Limits("0.5", "256M")}
                networks: [frontend]

              nginx:
                image: {Tag("nginx:1.27.2-alpine", "nginx")}
                restart: unless-stopped
                ports:
                  - "80:80"
                  - "443:443"
                volumes:
                  - ./nginx.conf:/etc/nginx/conf.d/default.conf:ro
                  - /etc/letsencrypt:/etc/letsencrypt:ro
                  - static_data:/app/staticfiles:ro
                  - media_data:/app/media:ro
                depends_on:
                  backend:
                    condition: service_healthy
                  frontend:
                    condition: service_healthy
                healthcheck:
                  test: ["CMD", "wget", "-qO-", "http://localhost/health"]
                  interval: 30s
                  timeout: 5s
                  retries: 3
            {Limits("0.5", "256M")}
                networks: [frontend]

            volumes:
              postgres_data:
              redis_data:
              media_data:
              static_data:
              backend_logs:

            networks:
              backend:
              frontend:
            """;
    }

    private static string ImageInspect(string name, long size, string user, int port)
    {
        var id = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name + Version)));
        var inspect = new[]
        {
            new Dictionary<string, object?>
            {
                ["Id"] = id,
                ["RepoTags"] = new[] { $"registry.example.com/{name}:{Version}", $"{name}:{Version}" },
                ["RepoDigests"] = new[] { $"registry.example.com/{name}@sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))}" },
                ["Created"] = DateTimeOffset.UtcNow.AddHours(-2).ToString("O"),
                ["Architecture"] = "amd64",
                ["Os"] = "linux",
                ["Size"] = size,
                ["Config"] = new Dictionary<string, object?>
                {
                    ["User"] = user,
                    ["ExposedPorts"] = new Dictionary<string, object> { [$"{port}/tcp"] = new { } },
                    ["Env"] = new[] { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "PYTHONUNBUFFERED=1" },
                    ["WorkingDir"] = "/app",
                    ["Healthcheck"] = new { Test = new[] { "CMD", "curl", "-fsS", $"http://localhost:{port}/" }, Interval = 30_000_000_000L },
                    ["Labels"] = new Dictionary<string, string>
                    {
                        ["org.opencontainers.image.title"] = name,
                        ["org.opencontainers.image.version"] = Version,
                        ["org.opencontainers.image.source"] = "https://github.com/thebot/platform",
                    },
                },
                ["RootFS"] = new { Type = "layers", Layers = new[] { id } },
            },
        };
        return JsonSerializer.Serialize(inspect, new JsonSerializerOptions { WriteIndented = true });
    }

    private static string Prometheus() => """
        # Prometheus scrape configuration for THE_BOT (checklist: metrics every 15 s).
        global:
          scrape_interval: 15s
          evaluation_interval: 15s

        scrape_configs:
          - job_name: thebot-backend
            metrics_path: /api/system/metrics/prometheus/
            scrape_interval: 15s
            scheme: http
            static_configs:
              - targets: ["backend:8000"]
                labels:
                  service: backend
          - job_name: nginx
            static_configs:
              - targets: ["nginx:80"]
        """;

    /// <summary>db_backup_&lt;ts&gt;.sql.gz (pg_dump, gzip) and media_backup_&lt;ts&gt;.tar.gz, as the backup script names them.</summary>
    private static async Task WriteBackupsAsync(string dir, PlatformOptions options, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        var stale = options.Faults.Has(Fault.BackupStale);
        var when = stale ? DateTime.UtcNow.AddDays(-9) : DateTime.UtcNow;
        var ts = when.ToString("yyyyMMdd_HHmmss");
        var dbFile = Path.Combine(dir, $"db_backup_{ts}.sql.gz");
        var mediaFile = Path.Combine(dir, $"media_backup_{ts}.tar.gz");

        var dump = await PgDumpAsync(options.DatabaseConnectionString, ct);
        await using (var file = File.Create(dbFile))
        {
            if (options.Faults.Has(Fault.BackupCorrupt))
            {
                // A copy damaged in transit: garbage inside the deflate data and the tail cut off,
                // so `gzip -t` and a .NET GZipStream both fail on it.
                using var whole = new MemoryStream();
                await using (var gz = new GZipStream(whole, CompressionLevel.Fastest, leaveOpen: true)) await gz.WriteAsync(dump, ct);
                var bytes = whole.ToArray()[..(int)Math.Max(64, whole.Length * 2 / 3)];
                for (var i = 16; i < Math.Min(bytes.Length, 16 + 256); i++) bytes[i] = 0xFF;
                await file.WriteAsync(bytes, ct);
            }
            else
            {
                await using var gz = new GZipStream(file, CompressionLevel.Optimal);
                await gz.WriteAsync(dump, ct);
            }
        }

        if (stale) File.SetLastWriteTimeUtc(dbFile, when);

        // volume-backup-missing: the backup script dumps the database but never archives the volumes.
        if (options.Faults.Has(Fault.VolumeBackupMissing)) return;

        // A missing or unwritable media volume must not stop the platform: uploads fail, the media backup is skipped.
        try { Directory.CreateDirectory(options.MediaDirectory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"thebot-reference: media folder {options.MediaDirectory} unusable ({e.Message}); no media backup");
            return;
        }
        var keep = Path.Combine(options.MediaDirectory, ".keep");
        if (!File.Exists(keep)) await File.WriteAllTextAsync(keep, "", ct);
        await using (var media = File.Create(mediaFile))
        await using (var gz = new GZipStream(media, CompressionLevel.Fastest))
        await using (var tar = new TarWriter(gz, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var path in Directory.EnumerateFiles(options.MediaDirectory, "*", SearchOption.AllDirectories))
                await tar.WriteEntryAsync(path, Path.GetRelativePath(options.MediaDirectory, path), ct);
        if (stale) File.SetLastWriteTimeUtc(mediaFile, when);
    }

    private static async Task<byte[]> PgDumpAsync(string connectionString, CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var binary = new[] { "/usr/lib/postgresql/15/bin/pg_dump", "/usr/bin/pg_dump" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("pg_dump not found (install postgresql-client)");
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--no-owner", "--no-privileges", "-h", cs.Host ?? "127.0.0.1", "-p", cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", cs.Username ?? "postgres", cs.Database ?? "thebot_prod" })
            psi.ArgumentList.Add(a);
        if (cs.Password is { } pw) psi.Environment["PGPASSWORD"] = pw;
        psi.Environment["PGSSLMODE"] = cs.SslMode switch { SslMode.Disable => "disable", SslMode.Require or SslMode.VerifyCA or SslMode.VerifyFull => "require", _ => "prefer" };
        psi.Environment["PGCONNECT_TIMEOUT"] = "10";
        using var process = Process.Start(psi)!;
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await Task.WhenAll(copy, errors);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new InvalidOperationException($"pg_dump failed ({process.ExitCode}): {errors.Result.Trim()}");
        return output.ToArray();
    }
}
