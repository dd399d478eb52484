using System.Diagnostics;
using System.Net.Sockets;
using FluentAssertions;
using Gate.Fixtures.Embedded;
using Gate.Fixtures.Settings;
using Xunit;

namespace Gate.SelfTests;

/// <summary>The embedded default starts what it promises and leaves nothing behind.</summary>
public sealed class EmbeddedEnvironmentTests
{
    [Fact]
    public async Task Everything_started_is_stopped_and_removed_afterwards()
    {
        var settings = GateSettings.Load(new Dictionary<string, string> { ["GATE_RUN_ID"] = $"lifecycle-{Guid.NewGuid():N}"[..18] });
        var stopwatch = Stopwatch.StartNew();
        var environment = await EmbeddedEnvironment.StartAsync(settings, TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine($"embedded default up in {stopwatch.Elapsed.TotalSeconds:F1} s ({environment.Postgres.Kind}, {environment.Redis.Kind}, "
            + (environment.Sshd is { } sshd ? $"{sshd.Kind} in {sshd.StartupTime.TotalSeconds:F2} s)" : $"no sshd: {environment.SshUnavailable})"));

        var platformPid = environment.Platform.ProcessId;
        var endpoints = new[]
        {
            (environment.Settings.Database!.Host, environment.Settings.Database.Port),
            (environment.Settings.Redis!.Host, environment.Settings.Redis.Port),
            (ReferencePlatform.BindAddress, environment.Platform.HttpsPort),
        }.Concat(environment.Sshd is { } ssh ? [(ssh.Host, ssh.Port)] : Array.Empty<(string, int)>()).ToList();
        endpoints.Should().OnlyContain(e => Listening(e.Item1, e.Item2), "PostgreSQL, Redis, the platform (and sshd, when installed) listen while the environment runs");
        (environment.Sshd is null).Should().Be(environment.SshUnavailable is not null, "without an SSH server the embedded default says why (the SSH checks skip with it)");
        if (environment.Sshd is { } started)
            environment.Settings.Input(SettingNames.SshHost).Should().Be(started.Endpoint, "the SSH checks are pointed at the embedded sshd");
        environment.Settings.BaseUrl!.Host.Should().Be("127.0.0.2", "the platform has its own loopback address, apart from the database and cache");

        await environment.DisposeAsync();

        endpoints.Should().OnlyContain(e => !Listening(e.Item1, e.Item2), "nothing listens after the environment is disposed");
        Directory.Exists($"/proc/{platformPid}").Should().BeFalse("the platform process is gone");
        Directory.Exists(environment.StateDirectory).Should().BeFalse("temporary data directories are removed");
    }

    [Fact]
    public async Task A_missing_platform_build_is_one_clear_line()
    {
        var settings = GateSettings.Load(new Dictionary<string, string> { ["GATE_RUN_ID"] = "missing-build" }) with { ReferencePlatform = "/no/such/TheBot.Reference.dll" };

        var act = () => EmbeddedEnvironment.StartAsync(settings, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<GateConfigurationException>()).Which.Message
            .Should().Be("GATE_REFERENCE_PLATFORM: no file at '/no/such/TheBot.Reference.dll'");
    }

    private static bool Listening(string host, int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
        }
        catch (AggregateException) { return false; }
    }
}
