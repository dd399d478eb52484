using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Ops;

/// <summary>
/// The Operations suite's additions to the ops artefacts (runs after Features/OpsArtefacts):
/// Trivy reports, the host crontab, an off-site copy of the newest backup and the collected
/// static files; and the operations faults that bend the platform's own artefacts (nginx.conf,
/// docker-compose.yml, image-inspect JSON, prometheus.yml). A bend that no longer matches the
/// platform's text is reported on stderr, so the fault matrix shows which fault lost its effect.
/// </summary>
public static partial class OperationsArtefacts
{
    public const string StaticAsset = "css/app.3f2a9c1e.css";

    public static async Task WriteAsync(PlatformOptions options, CancellationToken ct)
    {
        var dir = options.OpsDirectory;
        var f = options.Faults;
        Directory.CreateDirectory(dir);
        Write(Path.Combine(dir, "trivy", "backend.json"), Images.Trivy("backend", f));
        Write(Path.Combine(dir, "trivy", "frontend.json"), Images.Trivy("frontend", f));
        Write(Path.Combine(dir, "crontab"), Crontab(f));
        WriteStatic(options);
        if (f.Has(Fault.LogRotationOff)) PadLog(Path.Combine(options.LogDirectory, "celery.log"), 11 * 1024 * 1024);
        CopyOffsite(Path.Combine(dir, "backups"), Path.Combine(dir, "offsite"), f);

        Bend(Path.Combine(dir, "nginx.conf"), text => NginxBends.Apply(text, f));
        Bend(Path.Combine(dir, "docker-compose.yml"), text => ComposeBends.Apply(text, f));
        Bend(Path.Combine(dir, "backend-image-inspect.json"), text => Images.Bend(text, "backend", f));
        Bend(Path.Combine(dir, "frontend-image-inspect.json"), text => Images.Bend(text, "frontend", f));
        Bend(Path.Combine(dir, "prometheus.yml"), text => f.Has(Fault.PrometheusConfigWrong)
            ? Replace(text, "metrics_path: /api/system/metrics/prometheus/", "metrics_path: /metrics", Fault.PrometheusConfigWrong)
            : text);
        await Task.CompletedTask;
    }

    /// <summary>The collected static files (collectstatic), served at /static/ by the platform as nginx would.</summary>
    public static string StaticRoot(PlatformOptions options) => Path.Combine(options.StateDirectory, "staticfiles");

    private static void WriteStatic(PlatformOptions options)
    {
        if (options.Faults.Has(Fault.StaticNotCollected)) return;
        Write(Path.Combine(StaticRoot(options), StaticAsset), "body{font-family:system-ui,sans-serif;margin:0}\n.app{display:flex}\n");
        Write(Path.Combine(StaticRoot(options), "js", "main.8b1d0c47.js"), "console.log('THE_BOT');\n");
    }

    /// <summary>Maps /static/&lt;path&gt; to the collected files with far-future cache headers (contract §9: nginx serves them from disk).</summary>
    public static void MapOperations(this WebApplication app, PlatformOptions options)
    {
        app.MapGet("/static/{**path}", (string path, HttpContext ctx) =>
        {
            var root = Path.GetFullPath(StaticRoot(options));
            var file = Path.GetFullPath(Path.Combine(root, path));
            if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
                return Results.NotFound();
            ctx.Response.Headers.CacheControl = "public, max-age=2592000, immutable";
            var type = Path.GetExtension(file) switch { ".css" => "text/css", ".js" => "text/javascript", _ => "application/octet-stream" };
            return Results.File(file, type, lastModified: File.GetLastWriteTimeUtc(file));
        });
    }

    private static string Crontab(FaultSet f) => f.Has(Fault.BackupScheduleMissing)
        ? "# m h dom mon dow command\nSHELL=/bin/bash\n# backups moved to the new host (TODO)\n"
        : """
          # m h dom mon dow command
          SHELL=/bin/bash
          0 3 * * * pg_dump "$DATABASE_URL" | gzip > /backups/db_backup_$(date +\%Y\%m\%d_\%H\%M\%S).sql.gz && rclone copy /backups offsite:thebot-backups
          30 3 * * * find /backups -name 'db_backup_*.sql.gz' -mtime +30 -delete
          0 3 * * * certbot renew --quiet --deploy-hook 'systemctl reload nginx'
          """ + "\n";

    /// <summary>The off-site location (an rclone/S3 mount in production) holds a copy of the newest database backup.</summary>
    private static void CopyOffsite(string backups, string offsite, FaultSet f)
    {
        Directory.CreateDirectory(offsite);
        if (f.Has(Fault.BackupOffsiteMissing) || !Directory.Exists(backups)) return;
        var newest = Directory.GetFiles(backups, "db_backup_*").OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
        if (newest is null) return;
        var copy = Path.Combine(offsite, Path.GetFileName(newest));
        File.Copy(newest, copy, overwrite: true);
        File.SetLastWriteTimeUtc(copy, File.GetLastWriteTimeUtc(newest));
    }

    private static void PadLog(string path, long bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var line = "[CELERY] 2026-01-01 00:00:00,000 task beat.heartbeat succeeded (rotation disabled: this file only grows)\n"u8.ToArray();
        using var s = new FileStream(path, FileMode.Append);
        while (s.Length < bytes) s.Write(line);
    }

    private static void Bend(string path, Func<string, string> bend)
    {
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"thebot-reference: ops artefact {path} missing; operations faults cannot bend it");
            return;
        }
        var before = File.ReadAllText(path);
        var after = bend(before);
        if (!ReferenceEquals(before, after) && before != after) File.WriteAllText(path, after);
    }

    /// <summary>Replaces text for a fault; says so on stderr when the platform's artefact no longer contains it.</summary>
    internal static string Replace(string text, string from, string to, string fault)
    {
        if (!text.Contains(from, StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"thebot-reference: fault {fault}: '{from.Split('\n')[0]}' not found in the artefact; the fault has no effect");
            return text;
        }
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    internal static string ReplaceRegex(string text, Regex pattern, string to, string fault)
    {
        if (!pattern.IsMatch(text))
        {
            Console.Error.WriteLine($"thebot-reference: fault {fault}: /{pattern}/ not found in the artefact; the fault has no effect");
            return text;
        }
        return pattern.Replace(text, to);
    }

    private static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    internal static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value, new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
}

/// <summary>nginx-proxy-gaps and nginx-invalid, applied to the platform's nginx.conf.</summary>
public static partial class NginxBends
{
    public static string Apply(string text, FaultSet f)
    {
        if (f.Has(Fault.NginxProxyGaps))
        {
            const string fault = Fault.NginxProxyGaps;
            text = OperationsArtefacts.Replace(text, " ssl http2;", " ssl;", fault);
            text = OperationsArtefacts.Replace(text, "return 301 https://", "return 302 https://", fault);
            text = OperationsArtefacts.ReplaceRegex(text, ApiLocation(), """
                location /api/ {
                        proxy_pass http://backend;
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_cache api_cache;
                        proxy_cache_key $scheme$host$request_uri;
                        proxy_cache_valid 200 5m;
                    }
                """, fault);
            text = OperationsArtefacts.ReplaceRegex(text, StaticLocation(), """
                location /static/ {
                        alias /app/staticfiles/;
                        expires 30d;
                        add_header Cache-Control "public, immutable";
                    }
                """, fault);
            text = "proxy_cache_path /var/cache/nginx/api levels=1:2 keys_zone=api_cache:10m inactive=10m;\n" + text;
        }
        if (f.Has(Fault.NginxInvalid))
            text = OperationsArtefacts.Replace(text, "client_max_body_size 50m;", "client_max_body_size 50m", Fault.NginxInvalid);
        return text;
    }

    [GeneratedRegex(@"location /api/ \{[^}]*\}")]
    private static partial Regex ApiLocation();

    [GeneratedRegex(@"location /static/ \{[^}]*\}")]
    private static partial Regex StaticLocation();
}

/// <summary>compose-incomplete and compose-inline-secrets, applied to the platform's docker-compose.yml.</summary>
public static class ComposeBends
{
    public static string Apply(string text, FaultSet f)
    {
        if (f.Has(Fault.ComposeIncomplete))
        {
            text = EditService(text, "backend", s => DropKey(DropLine(s, "      - backend_logs:/app/logs"), "deploy"));
            text = EditService(text, "backend", s => OperationsArtefacts.Replace(s,
                "    depends_on:\n      postgres:\n        condition: service_healthy\n      redis:\n        condition: service_healthy\n",
                "    depends_on:\n      - postgres\n      - redis\n", Fault.ComposeIncomplete));
            text = EditService(text, "celery-worker", s => DropKey(s, "healthcheck"));
            text = EditService(text, "frontend", s => DropLine(s, "    restart: unless-stopped"));
        }
        if (f.Has(Fault.ComposeInlineSecrets))
        {
            text = EditService(text, "backend", s => OperationsArtefacts.Replace(s, "    env_file: .env\n",
                "    env_file: .env\n    environment:\n      SECRET_KEY: \"k3v9!x2m#q8w@p1z$$r7t^y4u&i6o*a0s(d5f)g-h_j=l+c\"\n      DATABASE_URL: postgresql://thebot:Sup3rS3cretPw@postgres:5432/thebot_prod\n",
                Fault.ComposeInlineSecrets));
            text = EditService(text, "postgres", s => OperationsArtefacts.Replace(s, "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set in .env}", "POSTGRES_PASSWORD: Sup3rS3cretPw", Fault.ComposeInlineSecrets));
        }
        return text;
    }

    /// <summary>Applies <paramref name="edit"/> to the lines of one service (from "  name:" to the next top- or service-level key).</summary>
    private static string EditService(string text, string service, Func<string, string> edit)
    {
        var lines = text.Split('\n').ToList();
        var start = lines.FindIndex(l => l == $"  {service}:");
        if (start < 0)
        {
            Console.Error.WriteLine($"thebot-reference: compose service '{service}' not found; the fault has no effect");
            return text;
        }
        var end = start + 1;
        while (end < lines.Count && (lines[end].Length == 0 || lines[end].StartsWith("    ", StringComparison.Ordinal))) end++;
        var block = string.Join('\n', lines.Skip(start).Take(end - start)) + "\n";
        var edited = edit(block).TrimEnd('\n').Split('\n');
        lines.RemoveRange(start, end - start);
        lines.InsertRange(start, edited);
        return string.Join('\n', lines);
    }

    private static string DropLine(string block, string line) =>
        block.Contains(line + "\n", StringComparison.Ordinal) ? block.Replace(line + "\n", "", StringComparison.Ordinal) : Missing(block, line);

    /// <summary>Removes "    key:" and every deeper-indented line after it.</summary>
    private static string DropKey(string block, string key)
    {
        var lines = block.Split('\n').ToList();
        var at = lines.FindIndex(l => l == $"    {key}:");
        if (at < 0) return Missing(block, key);
        var end = at + 1;
        while (end < lines.Count && lines[end].StartsWith("      ", StringComparison.Ordinal)) end++;
        lines.RemoveRange(at, end - at);
        return string.Join('\n', lines);
    }

    private static string Missing(string block, string what)
    {
        Console.Error.WriteLine($"thebot-reference: '{what.Trim()}' not found in a compose service; the fault has no effect");
        return block;
    }
}
