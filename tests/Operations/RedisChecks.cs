using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Operations;
using Gate.Fixtures.Reporting;
using Xunit;

namespace Gate.Operations;

/// <summary>Checklist 1.3 beyond the smoke suite: AOF writes succeed, 512 MB or more.</summary>
public sealed class RedisChecks(GateEnvironment environment) : OperationsCheck(environment)
{
    private const long MinimumBytes = 512L * 1024 * 1024;

    [Check("RDS-001", "1.3", Severity = Severity.High)]
    public async Task The_last_AOF_write_succeeded()
    {
        var probe = Redis;
        await using var connection = await Probe(probe.ConnectAsync);

        var info = await RedisFacts.InfoAsync(connection, "persistence");

        var (enabled, status) = (info.GetValueOrDefault("aof_enabled"), info.GetValueOrDefault("aof_last_write_status"));
        Evidence.Record("aof_last_write_status", status);
        $"aof_enabled={enabled} aof_last_write_status={status}".Should().Be("aof_enabled=1 aof_last_write_status=ok",
            $"Redis at {probe.Url} must be persisting: appendonly on and its last AOF write ok (INFO persistence)");
    }

    [Check("RDS-002", "1.3", Severity = Severity.High)]
    public async Task Maxmemory_is_at_least_512_MB()
    {
        var probe = Redis;
        await using var connection = await Probe(probe.ConnectAsync);

        var info = await RedisFacts.InfoAsync(connection, "memory");

        var max = long.Parse(info.GetValueOrDefault("maxmemory") ?? "0");
        Evidence.Record("maxmemory", max);
        Evidence.Record("maxmemory_policy", info.GetValueOrDefault("maxmemory_policy"));
        if (max == 0) TestContext.Current.AddWarning($"Redis at {probe.Url} has no maxmemory (unlimited): it can grow until the host runs out of memory");
        max.Should().Match(m => m == 0 || m >= MinimumBytes, $"Redis at {probe.Url} must have 512 MB or more (maxmemory 512mb); found {max / 1024 / 1024} MB, policy {info.GetValueOrDefault("maxmemory_policy")}");
    }
}
