using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Reporting;
using StackExchange.Redis;

namespace Gate.Smoke;

/// <summary>Checklist 1.3: Redis 7+, password required, appendonly persistence.</summary>
public sealed class RedisChecks(GateEnvironment environment) : GateCheck(environment)
{
    private RedisProbe Redis => new(Require.Value(Settings.Redis, "no Redis URL configured (GATE_REDIS_URL)"), Settings.Timeout, Environment.Trust);

    [Check("SMK-013", "1.3", Severity = Severity.High)]
    public async Task Redis_version_is_7_or_later()
    {
        var probe = Redis;
        await using var connection = await Probe(probe.ConnectAsync);

        var version = connection.GetServer(connection.GetEndPoints()[0]).Version;

        Evidence.Record("redis_version", version);
        version.Major.Should().BeGreaterThanOrEqualTo(7, $"the checklist requires Redis 7+ at {probe.Url}, found {version}");
    }

    [Check("SMK-014", "1.3, 11.2", Severity = Severity.Critical)]
    public async Task Redis_refuses_commands_without_the_password()
    {
        var probe = Redis;

        var reply = await Probe(() => probe.UnauthenticatedAsync("PING"));

        reply.Should().StartWith("-NOAUTH", $"an unauthenticated PING to {probe.Url.Host}:{probe.Url.Port} must be refused, but Redis answered '{reply}'");
    }

    [Check("SMK-015", "1.3", Severity = Severity.High)]
    public async Task Redis_appendonly_persistence_is_on()
    {
        var probe = Redis;
        await using var connection = await Probe(probe.ConnectAsync);
        var server = connection.GetServer(connection.GetEndPoints()[0]);

        // Managed Redis often disables CONFIG; INFO persistence says the same thing.
        var info = (await server.InfoAsync("persistence")).SelectMany(g => g).ToDictionary(kv => kv.Key, kv => kv.Value);
        var aofEnabled = info.GetValueOrDefault("aof_enabled");

        Evidence.Record("aof_enabled", aofEnabled);
        aofEnabled.Should().Be("1", $"appendonly must be on at {probe.Url} (INFO persistence aof_enabled={aofEnabled ?? "absent"})");
    }
}
