using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Operations;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Settings;

namespace Gate.Operations;

/// <summary>Checklist 1.2, 11.2, 7.1: SSL enforced, a least-privilege role, every migration applied.</summary>
public sealed class DatabaseChecks(GateEnvironment environment) : OperationsCheck(environment)
{
    [Check("DB-001", "1.2, 11.2", Severity = Severity.Critical)]
    public async Task A_connection_without_SSL_is_refused()
    {
        var url = Require.Value(Settings.Database, "no database URL configured (GATE_DATABASE_URL)");

        var (refused, detail) = await Probe(() => DatabaseFacts.PlaintextAttemptAsync(url, Cancellation));

        Evidence.Record("plaintext_attempt", detail);
        refused.Should().BeTrue($"PostgreSQL at {url.Host}:{url.Port} must refuse non-SSL connections (pg_hba.conf: hostssl only, or hostnossl ... reject) when DB_SSLMODE=require, but {detail}");
    }

    [Check("DB-002", "1.2, 11.2", Severity = Severity.High)]
    public async Task The_application_role_is_not_a_superuser()
    {
        var probe = Database;
        await using var connection = await Probe(() => probe.ConnectAsync(Cancellation));

        var role = await DatabaseFacts.CurrentRoleAsync(connection, Cancellation);

        Evidence.Record("role", role);
        role.Superuser.Should().BeFalse($"the application's role '{role.Name}' at {probe.Url} must not be a superuser (ALTER ROLE {role.Name} NOSUPERUSER); found rolsuper=true");
    }

    [Check("DB-003", "7.1", Severity = Severity.Critical)]
    public async Task Every_migration_of_the_release_is_applied()
    {
        var expected = await ExpectedMigrationsAsync();
        await using var connection = await Probe(() => Database.ConnectAsync(Cancellation));

        var applied = await DatabaseFacts.AppliedMigrationsAsync(connection, Cancellation) ?? new HashSet<string>();

        var pending = expected.Migrations.Where(m => !applied.Contains(m)).ToList();
        Evidence.Record("expected", expected.Migrations.Count);
        Evidence.Record("applied", applied.Count);
        pending.Should().BeEmpty($"every migration in {expected.Source} must be recorded in django_migrations at {Database.Url} (run `manage.py migrate`); pending:{List(pending)}");
    }

    private async Task<(IReadOnlyList<string> Migrations, string Source)> ExpectedMigrationsAsync()
    {
        if (Settings.Input(SettingNames.ShowMigrationsCommand) is { } command)
        {
            var run = await HostCommand.RunAsync(command, TimeSpan.FromSeconds(60), Cancellation);
            run.ExitCode.Should().Be(0, $"{SettingNames.ShowMigrationsCommand} must run: {Redactor.Redact(run.Tail(3))}");
            return (MigrationList.Parse(run.Output).All, $"`{Redactor.Redact(command)}`");
        }
        var manifest = Input(SettingNames.MigrationsManifest, $"no showmigrations command ({SettingNames.ShowMigrationsCommand}) and no migrations manifest");
        var all = MigrationList.Parse(await File.ReadAllTextAsync(manifest, Cancellation)).All;
        all.Should().NotBeEmpty($"the migrations manifest {manifest} must list the release's migrations");
        return (all, manifest);
    }
}
