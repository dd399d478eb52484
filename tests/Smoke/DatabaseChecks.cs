using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Reporting;

namespace Gate.Smoke;

/// <summary>Checklist 1.2: PostgreSQL 15+, SSL on, answering within the connect timeout.</summary>
public sealed class DatabaseChecks(GateEnvironment environment) : GateCheck(environment)
{
    private PostgresProbe Database => new(Require.Value(Settings.Database, "no database URL configured (GATE_DATABASE_URL)"), Settings.CaFile);

    [Check("SMK-010", "1.2", Severity = Severity.High)]
    public async Task PostgreSQL_major_version_is_15_or_later()
    {
        var probe = Database;
        await using var connection = await Probe(() => probe.ConnectAsync(Cancellation));

        var versionNum = await connection.ScalarAsync<string>("SHOW server_version_num", Cancellation);

        var major = int.Parse(versionNum) / 10000;
        Evidence.Record("postgresql_major", major);
        major.Should().BeGreaterThanOrEqualTo(15, $"the checklist requires PostgreSQL 15+ at {probe.Url} (server_version_num {versionNum})");
    }

    [Check("SMK-011", "1.2, 11.2", Severity = Severity.Critical)]
    public async Task Database_connection_is_encrypted()
    {
        var probe = Database;
        await using var connection = await Probe(() => probe.ConnectAsync(Cancellation));

        var ssl = await connection.ScalarAsync<bool>("SELECT COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)", Cancellation);

        Evidence.Record("connection_ssl", ssl);
        ssl.Should().BeTrue($"the connection to {probe.Url} must use SSL/TLS (DB_SSLMODE=require); pg_stat_ssl reports it unencrypted");
    }

    [Check("SMK-012", "1.2", Severity = Severity.Medium)]
    public async Task Database_connects_within_the_connect_timeout()
    {
        var probe = Database;
        await using var connection = await Probe(() => probe.ConnectAsync(Cancellation));

        Evidence.Record("connect_ms", connection.ConnectTime.TotalMilliseconds.ToString("F0"));
        connection.ConnectTime.Should().BeLessThan(TimeSpan.FromSeconds(probe.Url.ConnectTimeoutSeconds),
            $"a new connection to {probe.Url} must be established within the connect timeout of {probe.Url.ConnectTimeoutSeconds} s");
    }
}
