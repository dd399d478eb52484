using Gate.Fixtures.Embedded;
using Gate.Fixtures.Settings;
using Xunit;

namespace Gate.SelfTests;

/// <summary>A healthy embedded default shared by the self tests that point a suite at a "configured target".</summary>
public sealed class EmbeddedPlatformFixture : IAsyncLifetime
{
    public EmbeddedEnvironment Environment { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var settings = GateSettings.Load(new Dictionary<string, string> { ["GATE_RUN_ID"] = $"selftest-{Guid.NewGuid():N}"[..20] });
        Environment = await EmbeddedEnvironment.StartAsync(settings, TestContext.Current.CancellationToken);
    }

    /// <summary>GATE_* variables that point a suite at this platform as an operator would point it at staging.</summary>
    public Dictionary<string, string?> TargetVariables()
    {
        var s = Environment.Settings;
        var vars = new Dictionary<string, string?>
        {
            ["GATE_BASE_URL"] = s.BaseUrl!.ToString(),
            ["GATE_CA_FILE"] = s.CaFile,
            ["GATE_DATABASE_URL"] = $"postgresql://{s.Database!.Username}:{s.Database.Password}@{s.Database.Host}:{s.Database.Port}/{s.Database.Database}?sslmode={s.Database.SslMode}",
            ["GATE_REDIS_URL"] = $"redis://:{s.Redis!.Password}@{s.Redis.Host}:{s.Redis.Port}/0",
        };
        foreach (var role in s.Credentials.Roles)
        {
            vars[$"GATE_{role.ToUpperInvariant()}_EMAIL"] = s.Credentials.For(role)!.Login;
            vars[$"GATE_{role.ToUpperInvariant()}_PASSWORD"] = s.Credentials.For(role)!.Password;
        }
        return vars;
    }

    public async ValueTask DisposeAsync() => await Environment.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class EmbeddedPlatformCollection : ICollectionFixture<EmbeddedPlatformFixture>
{
    public const string Name = "embedded platform";
}
