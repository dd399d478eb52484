using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Operations;
using Gate.Fixtures.Reporting;

namespace Gate.Operations;

/// <summary>Checklist 6.1 / 6.2: the docker-compose.yml that deploys the release.</summary>
public sealed class ComposeChecks(GateEnvironment environment) : OperationsCheck(environment)
{
    private static readonly string[] LogPaths = ["/app/logs", "/logs", "/var/log", "backend_logs"];

    [Check("CMP-001", "6.1", Severity = Severity.High)]
    public void Every_image_is_pinned_to_a_version()
    {
        var compose = Compose;

        var unpinned = compose.Services.Where(s => !s.Builds && !s.ImagePinned).Select(s => $"{s.Name}: {s.Image ?? "(no image)"}").ToList();
        Evidence.Record("images", string.Join(", ", compose.Services.Select(s => $"{s.Name}={s.Image ?? "(build)"}")));
        unpinned.Should().BeEmpty($"every service in {compose.Path} must use a version tag or digest, never latest or no tag:{List(unpinned)}");
    }

    [Check("CMP-002", "6.1", Severity = Severity.Medium)]
    public void Every_service_has_resource_limits()
    {
        var compose = Compose;

        var unlimited = compose.Services.Where(s => s.MemoryLimit is null || s.CpuLimit is null).Select(s => $"{s.Name}: memory={s.MemoryLimit ?? "none"} cpus={s.CpuLimit ?? "none"}").ToList();
        unlimited.Should().BeEmpty($"every service in {compose.Path} must set deploy.resources.limits (memory and cpus):{List(unlimited)}");
    }

    [Check("CMP-003", "6.2", Severity = Severity.High)]
    public void Every_service_has_a_healthcheck()
    {
        var compose = Compose;

        var unchecked_ = compose.Services.Where(s => !s.HasHealthcheck).Select(s => s.Name).ToList();
        unchecked_.Should().BeEmpty($"every service in {compose.Path} needs a healthcheck (contract §9) so compose and the operator know when it is ready:{List(unchecked_)}");
    }

    [Check("CMP-004", "6.2", Severity = Severity.Medium)]
    public void Every_service_restarts_after_a_crash()
    {
        var compose = Compose;

        var noRestart = compose.Services.Where(s => s.Restart is null or "no").Select(s => $"{s.Name}: restart={s.Restart ?? "(unset: no)"}").ToList();
        noRestart.Should().BeEmpty($"every service in {compose.Path} must set restart: unless-stopped/always/on-failure:{List(noRestart)}");
    }

    [Check("CMP-005", "6.1", Severity = Severity.High)]
    public void Database_data_and_logs_live_on_volumes()
    {
        var compose = Compose;
        var postgres = compose.Postgres;
        var backend = compose.Backend;

        postgres.Should().NotBeNull($"{compose.Path} must define the PostgreSQL service");
        postgres!.Volumes.Should().Contain(v => v.Target.StartsWith("/var/lib/postgresql", StringComparison.Ordinal), $"{postgres.Name} in {compose.Path} must keep /var/lib/postgresql/data on a volume, or the database dies with the container");
        backend.Should().NotBeNull($"{compose.Path} must define the backend service");
        backend!.Volumes.Should().Contain(v => LogPaths.Any(p => v.Target.StartsWith(p, StringComparison.Ordinal) || v.Source == p), $"{backend.Name} in {compose.Path} must write its logs (audit, admin, celery) to a volume; mounts:{List(backend.Volumes.Select(v => $"{v.Source}:{v.Target}"))}");
    }

    [Check("CMP-006", "6.1, 11.1, 11.2", Severity = Severity.Critical)]
    public void PostgreSQL_and_Redis_ports_are_not_published()
    {
        var compose = Compose;

        var published = compose.Services.Where(s => s.IsPostgres || s.IsRedis)
            .SelectMany(s => s.PublishedPorts.Where(p => !p.StartsWith("127.0.0.1:", StringComparison.Ordinal)).Select(p => $"{s.Name}: ports {p}")).ToList();
        published.Should().BeEmpty($"PostgreSQL and Redis must be reachable only on the compose network (use expose:, not ports:) in {compose.Path}:{List(published)}");
    }

    [Check("CMP-007", "6.1, 4.1, 11.3", Severity = Severity.Critical)]
    public void Secrets_come_from_the_env_file_not_inline()
    {
        var compose = Compose;

        var inline = compose.Services.SelectMany(s => s.Environment
            .Where(kv => (SecretScanner.LooksSecretName(kv.Key) || SecretScanner.HasUrlPassword(kv.Value)) && kv.Value.Length > 0 && !kv.Value.Contains("${", StringComparison.Ordinal))
            .Select(kv => $"{s.Name}: {kv.Key}")).ToList();
        inline.Should().BeEmpty($"secrets in {compose.Path} must be ${{VAR}} references to the .env file or env_file:, never literal values (values withheld):{List(inline)}");
    }

    [Check("CMP-008", "6.2", Severity = Severity.High)]
    public void Services_start_after_their_dependencies_are_healthy()
    {
        var compose = Compose;

        var unordered = compose.Services.SelectMany(s => s.DependsOn.Where(d => d.Value != "service_healthy").Select(d => $"{s.Name} → {d.Key}: {d.Value}")).ToList();
        Evidence.Record("dependencies", string.Join("; ", compose.Services.SelectMany(s => s.DependsOn.Select(d => $"{s.Name}→{d.Key}"))));
        compose.Backend?.DependsOn.Keys.Should().Contain(k => compose.Postgres != null && k == compose.Postgres.Name, $"the backend in {compose.Path} must depend on PostgreSQL (checklist 6.2: postgres and redis first)");
        unordered.Should().BeEmpty($"depends_on in {compose.Path} must wait with condition: service_healthy (not the checklist's `sleep 30`):{List(unordered)}");
    }
}
