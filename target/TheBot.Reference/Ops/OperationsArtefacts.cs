using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Npgsql;
using TheBot.Reference.Data;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Ops;

/// <summary>
/// What an operator would find next to a deployed THE_BOT, written into THEBOT_OPS_DIR at start-up
/// so the gate's Operations suite inspects real files: the nginx site, docker-compose.yml,
/// `docker image inspect` output, Trivy reports, gzip pg_dump backups (contract §9 names) with an
/// off-site copy, the release's migrations manifest, prometheus.yml, the host crontab and the
/// collected static files. Each operations fault bends one of them (target/FAULTS.md).
/// </summary>
public static class OperationsArtefacts
{
    public const string StaticAsset = "css/app.3f2a9c1e.css";

    public static async Task WriteAsync(PlatformOptions options, Database db, CancellationToken ct)
    {
        var dir = options.OpsDirectory;
        var f = options.Faults;
        Directory.CreateDirectory(dir);
        Write(Path.Combine(dir, "nginx", "thebot.conf"), NginxSite.Render(f));
        Write(Path.Combine(dir, "docker-compose.yml"), ComposeFile.Render(f));
        Write(Path.Combine(dir, "images", "backend.json"), Images.Inspect("backend", f));
        Write(Path.Combine(dir, "images", "frontend.json"), Images.Inspect("frontend", f));
        Write(Path.Combine(dir, "trivy", "backend.json"), Images.Trivy("backend", f));
        Write(Path.Combine(dir, "trivy", "frontend.json"), Images.Trivy("frontend", f));
        Write(Path.Combine(dir, "migrations.txt"), string.Concat(Migrations.All.Select(m => $"{m.App}.{m.Name}\n")));
        Write(Path.Combine(dir, "prometheus.yml"), Prometheus(f));
        Write(Path.Combine(dir, "crontab"), Crontab(f));
        WriteStatic(options);
        if (f.Has(Fault.LogRotationOff)) PadLog(Path.Combine(options.LogDirectory, "celery.log"), 11 * 1024 * 1024);
        await BackupAsync(options, Path.Combine(dir, "backups"), Path.Combine(dir, "offsite"), ct);
    }

    /// <summary>The collected static files (collectstatic), served at /static/ by the platform as nginx would.</summary>
    public static string StaticRoot(PlatformOptions options) => Path.Combine(options.StateDirectory, "staticfiles");

    private static void WriteStatic(PlatformOptions options)
    {
        if (options.Faults.Has(Fault.StaticNotCollected)) return;
        Write(Path.Combine(StaticRoot(options), StaticAsset), "body{font-family:system-ui,sans-serif;margin:0}\n.app{display:flex}\n");
        Write(Path.Combine(StaticRoot(options), "js", "main.8b1d0c47.js"), "console.log('THE_BOT');\n");
    }

    /// <summary>Maps /static/ to the collected files with far-future cache headers (contract §9: nginx serves them from disk).</summary>
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

    private static string Prometheus(FaultSet f) => $"""
        # prometheus.yml (checklist 9.1)
        global:
          scrape_interval: 15s

        scrape_configs:
          - job_name: 'thebot-backend'
            static_configs:
              - targets: ['backend:8000']
            metrics_path: '{(f.Has(Fault.PrometheusConfigWrong) ? "/metrics" : "/api/system/metrics/prometheus/")}'
        """ + "\n";

    private static string Crontab(FaultSet f) => f.Has(Fault.BackupScheduleMissing)
        ? "# m h dom mon dow command\nSHELL=/bin/bash\n# backups moved to the new host (TODO)\n"
        : """
          # m h dom mon dow command
          SHELL=/bin/bash
          0 3 * * * pg_dump "$DATABASE_URL" | gzip > /backups/db_backup_$(date +\%Y\%m\%d_\%H\%M\%S).sql.gz && rclone copy /backups offsite:thebot-backups
          30 3 * * * find /backups -name 'db_backup_*.sql.gz' -mtime +30 -delete
          0 3 * * * certbot renew --quiet --deploy-hook 'systemctl reload nginx'
          """ + "\n";

    /// <summary>pg_dump of the platform's own database, gzip'd as the checklist's cron line does.</summary>
    private static async Task BackupAsync(PlatformOptions options, string backups, string offsite, CancellationToken ct)
    {
        var pgDump = FindPgDump();
        if (pgDump is null)
        {
            Console.Error.WriteLine("thebot-reference: pg_dump not found; no backup written");
            return;
        }
        Directory.CreateDirectory(backups);
        Directory.CreateDirectory(offsite);
        var stale = options.Faults.Has(Fault.BackupStale);
        var when = stale ? DateTime.UtcNow.AddDays(-3) : DateTime.UtcNow;
        var file = Path.Combine(backups, $"db_backup_{when:yyyyMMdd_HHmmss}.sql.gz");

        var cs = new NpgsqlConnectionStringBuilder(options.DatabaseConnectionString);
        var psi = new ProcessStartInfo(pgDump) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--no-password");
        psi.Environment["PGHOST"] = cs.Host ?? "127.0.0.1";
        psi.Environment["PGPORT"] = cs.Port.ToString();
        psi.Environment["PGUSER"] = cs.Username ?? "postgres";
        psi.Environment["PGPASSWORD"] = cs.Password ?? "";
        psi.Environment["PGDATABASE"] = cs.Database ?? "thebot_prod";
        psi.Environment["PGSSLMODE"] = cs.SslMode switch { SslMode.Disable => "disable", SslMode.Require or SslMode.VerifyCA or SslMode.VerifyFull => "require", _ => "prefer" };
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await using (var output = File.Create(file))
        await using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            await process.StandardOutput.BaseStream.CopyToAsync(gzip, ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"thebot-reference: pg_dump failed ({process.ExitCode}): {(await stderr).Trim()}");
            File.Delete(file);
            return;
        }
        if (options.Faults.Has(Fault.BackupCorrupt))
        {
            // A transfer cut short: the archive ends mid-stream.
            await using var s = new FileStream(file, FileMode.Open);
            s.SetLength(s.Length / 2);
        }
        File.SetLastWriteTimeUtc(file, when);
        if (!options.Faults.Has(Fault.BackupOffsiteMissing))
        {
            var copy = Path.Combine(offsite, Path.GetFileName(file));
            File.Copy(file, copy, overwrite: true);
            File.SetLastWriteTimeUtc(copy, when);
        }
    }

    private static string? FindPgDump()
    {
        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var best = Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin", "pg_dump")).Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0)
                .FirstOrDefault();
            if (best is not null) return best;
        }
        return new[] { "/usr/bin/pg_dump", "/usr/local/bin/pg_dump" }.FirstOrDefault(File.Exists);
    }

    private static void PadLog(string path, long bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var line = "[CELERY] 2026-01-01 00:00:00,000 task beat.heartbeat succeeded (rotation disabled: this file only grows)\n"u8.ToArray();
        using var s = new FileStream(path, FileMode.Append);
        while (s.Length < bytes) s.Write(line);
    }

    private static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    internal static string Json(object value) => JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true });
}
