using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Operations;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Settings;

namespace Gate.Operations;

/// <summary>Checklist 7.4, 8.2, 15.4, 15.6: static files, log files, audit trail, rotation, no secrets.</summary>
public sealed class LogChecks(GateEnvironment environment) : OperationsCheck(environment)
{
    private static readonly string[] RequiredLogs = ["audit.log", "admin.log", "celery.log"];

    [Check("OBS-001", "7.4", Severity = Severity.Medium)]
    public async Task A_collected_static_asset_is_served_with_cache_headers()
    {
        var path = Input(SettingNames.StaticPath, "no static asset path");

        var asset = await Frontend.GetAsync(path, ct: Cancellation);

        asset.Should().HaveStatus(200, $"collectstatic must have put {path} where the web server serves it");
        var caching = asset.Header("Cache-Control") ?? asset.Header("Expires");
        caching.Should().NotBeNull($"{asset.Url} must carry Cache-Control or Expires so browsers and CDNs cache static files");
        Evidence.Record("cache_control", caching);
    }

    [Check("OBS-002", "8.2", Severity = Severity.High)]
    public void Audit_admin_and_celery_logs_exist()
    {
        var logs = Logs;

        var facts = RequiredLogs.Select(logs.Facts).ToList();

        Evidence.Record("logs", string.Join("; ", facts.Select(f => $"{f.Name} {f.Bytes} B, last write {f.LastWriteUtc:u}")));
        var missingLogs = facts.Where(f => !f.Exists).Select(f => f.Path);
        missingLogs.Should().BeEmpty($"the backend must write audit.log, admin.log and celery.log into {logs.Directory} (checklist 8.2: tail -f backend_logs/...)");
    }

    [Check("OBS-003", "8.2, 15.4", Severity = Severity.High)]
    public async Task A_login_attempt_appears_in_the_audit_log_within_seconds()
    {
        var logs = Logs;
        var offset = logs.Length("audit.log");
        var marker = $"{Settings.RunId}-audit@gate.invalid";

        var login = await Api.PostJsonAsync("/api/auth/login/", new { email = marker, password = "not-the-password" }, ct: Cancellation);
        var line = await logs.WaitForLineAsync("audit.log", marker, offset, TimeSpan.FromSeconds(5), Cancellation);

        login.Status.Should().BeOneOf([400, 401, 403, 429], $"a failed sign-in at {login.Url} must be refused");
        line.Should().NotBeNull($"the failed sign-in as {marker} at {login.Url} must be written to {Path.Combine(logs.Directory, "audit.log")} within 5 s (contract §8: every login attempt)");
    }

    [Check("OBS-004", "8.2", Severity = Severity.Medium)]
    public void Log_files_stay_within_the_rotation_limits()
    {
        var logs = Logs;

        var all = logs.All();

        var oversized = all.Where(f => f.Bytes > LogInspector.RotationBytes * 11 / 10 || f.RotatedCopies > LogInspector.RotationCopies)
            .Select(f => $"{f.Name}: {f.Bytes / 1024.0 / 1024.0:F1} MB, {f.RotatedCopies} rotated copies").ToList();
        all.Should().NotBeEmpty($"{logs.Directory} must hold the platform's log files");
        oversized.Should().BeEmpty($"logs rotate at 10 MB × 10 (contract §8); a larger file means rotation is not configured in {logs.Directory}:{List(oversized)}");
    }

    [Check("OBS-005", "15.6, 8.2", Severity = Severity.Critical)]
    public void No_secrets_are_written_to_the_logs()
    {
        var logs = Logs;

        var findings = logs.FindSecrets(KnownSecrets);

        findings.Should().BeEmpty($"logs must never carry secrets, tokens or passwords ({logs.Directory}; values withheld):{List(findings)}");
    }
}
