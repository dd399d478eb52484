using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Operations;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Settings;

namespace Gate.Operations;

/// <summary>Checklist 12, 15.5 and 2.2: fresh, intact, off-site, restorable, scheduled backups.</summary>
public sealed class BackupChecks(GateEnvironment environment) : OperationsCheck(environment)
{
    /// <summary>Tables a THE_BOT restore must bring back, and those that must not come back empty.</summary>
    private static readonly string[] ExpectedTables = ["django_migrations", "accounts_user", "authtoken_token", "materials_subject", "materials_material", "assignments_assignment", "chat_chatroom", "payments_payment"];
    private static readonly string[] NonEmptyTables = ["django_migrations", "accounts_user", "materials_subject"];

    [Check("BAK-001", "12.1, 15.5", Severity = Severity.Critical)]
    public void The_newest_backup_is_younger_than_the_maximum_age()
    {
        var dir = BackupDirectory;

        var newest = BackupInspector.Newest(dir);

        newest.Should().NotBeNull($"{dir} must hold gzip'd pg_dump backups (db_backup_<ts>.sql.gz)");
        Evidence.Record("newest", newest);
        newest!.Age.Should().BeLessThan(BackupMaxAge, $"the daily backup must be younger than {BackupMaxAge.TotalHours:F0} h (GATE_BACKUP_MAX_AGE_HOURS); newest is {newest} — {newest.Age.TotalHours:F1} h old");
    }

    [Check("BAK-002", "12.1, 15.5", Severity = Severity.Critical)]
    public async Task The_newest_backup_passes_the_gzip_integrity_test()
    {
        var newest = Require.Value(BackupInspector.Newest(BackupDirectory), $"no backup in {BackupDirectory} to test");

        var problem = await BackupInspector.GzipProblemAsync(newest.Path, Cancellation);

        problem.Should().BeNull($"`gunzip -t {newest.Path}` must pass (checklist 12.1)");
    }

    [Check("BAK-003", "12.1, 15.5", Severity = Severity.High)]
    public void An_off_site_copy_of_the_newest_backup_exists()
    {
        var newest = Require.Value(BackupInspector.Newest(BackupDirectory), $"no backup in {BackupDirectory} to look for off-site");
        var offsite = Input(SettingNames.OffsiteBackupDir, "no off-site backup location");

        var copies = BackupInspector.List(offsite);

        copies.Should().Contain(c => c.Name == newest.Name && c.Bytes == newest.Bytes, $"the newest backup {newest.Name} ({newest.Bytes:N0} bytes) must also be in the off-site location {offsite}; found:{List(copies.Take(5).Select(c => c.ToString()))}");
    }

    [Check("BAK-004", "12.3, 15.5", Severity = Severity.Critical)]
    public async Task The_newest_backup_restores_with_its_data_and_migrations()
    {
        var newest = Require.Value(BackupInspector.Newest(BackupDirectory), $"no backup in {BackupDirectory} to restore");

        var restore = await RestoreRunner.RestoreAsync(newest.Path, Cancellation);

        Evidence.Record("rto_seconds", restore.Elapsed.TotalSeconds.ToString("F1"));
        Evidence.Record("restored_into", restore.Server);
        restore.Error.Should().BeNull($"{newest} must restore into an empty PostgreSQL ({restore.Server}) with psql -v ON_ERROR_STOP=1");
        var missingTables = ExpectedTables.Where(t => !restore.Tables.Contains(t));
        var emptyKeyTables = NonEmptyTables.Where(t => restore.RowCounts.GetValueOrDefault(t) == 0);
        missingTables.Should().BeEmpty($"the restore of {newest.Name} must bring back the platform's tables");
        emptyKeyTables.Should().BeEmpty($"the restore of {newest.Name} must bring back data, not only the schema (rows: {string.Join(", ", NonEmptyTables.Select(t => $"{t}={restore.RowCounts.GetValueOrDefault(t)}"))})");
    }

    [Check("BAK-005", "12.1, 15.5, 2.2", Severity = Severity.High, Required = false)]
    public async Task Backups_and_certificate_renewal_are_scheduled_on_the_host()
    {
        var command = Input(SettingNames.HostCommand, "no host command channel");

        var run = await HostCommand.RunAsync(command, TimeSpan.FromSeconds(30), Cancellation);

        run.ExitCode.Should().Be(0, $"{SettingNames.HostCommand} must run: {Redactor.Redact(run.Tail(3))}");
        Schedules.Matching(run.Output, "pg_dump", "backup").Should().NotBeEmpty($"a cron entry or systemd timer must run the daily database backup (checklist 12.1); `{Redactor.Redact(command)}` printed no such schedule");
        Schedules.Matching(run.Output, "certbot").Should().NotBeEmpty($"a cron entry or certbot.timer must renew the certificates (checklist 2.2); `{Redactor.Redact(command)}` printed no such schedule");
    }

    [Check("BAK-006", "12.2, 15.5", Severity = Severity.High)]
    public async Task A_recent_intact_archive_of_the_volumes_sits_beside_the_database_backup()
    {
        var dir = BackupDirectory;

        var archive = BackupInspector.NewestVolumeArchive(dir);

        archive.Should().NotBeNull($"{dir} must hold a volume archive (media_backup_<ts>.tar.gz or postgres-data-<date>.tar.gz, checklist 12.2); found only:{List(Directory.Exists(dir) ? Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Take(5) : [])}");
        Evidence.Record("volume_archive", archive);
        archive!.Age.Should().BeLessThan(BackupMaxAge, $"the volume archive must be as fresh as the daily backup (GATE_BACKUP_MAX_AGE_HOURS); {archive} is {archive.Age.TotalHours:F1} h old");
        var problem = await BackupInspector.GzipProblemAsync(archive.Path, Cancellation);
        problem.Should().BeNull($"`gunzip -t {archive.Path}` must pass");
        (await BackupInspector.TarEntriesAsync(archive.Path, Cancellation)).Should().BePositive($"{archive.Name} must hold the volume's files");
    }
}
