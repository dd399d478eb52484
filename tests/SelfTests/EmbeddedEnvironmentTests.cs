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
        // With the Operations suite's Prometheus when the machine has the binary (`./gate setup` installs it).
        var withPrometheus = LocalPrometheus.FindBinary() is not null;
        var environment = await EmbeddedEnvironment.StartAsync(settings, TestContext.Current.CancellationToken, prometheus: withPrometheus);
        var started = stopwatch.Elapsed;
        var ready = environment.Prometheus is { } p ? await p.Ready : null;
        TestContext.Current.TestOutputHelper?.WriteLine($"embedded default up in {started.TotalSeconds:F1} s ({environment.Postgres.Kind}, {environment.Redis.Kind}, "
            + (environment.Sshd is { } sshd ? $"{sshd.Kind} in {sshd.StartupTime.TotalSeconds:F2} s" : $"no sshd: {environment.SshUnavailable}")
            + (environment.Prometheus is { } server ? $", Prometheus spawned in {server.SpawnTime.TotalMilliseconds:F0} ms, ready {ready?.TotalMilliseconds:F0} ms after its start)" : ")"));
        if (withPrometheus) ready.Should().NotBeNull($"the gate's Prometheus answers /-/ready: {environment.Prometheus!.Describe()}");

        var platformPid = environment.Platform.ProcessId;
        var endpoints = new[]
        {
            (environment.Settings.Database!.Host, environment.Settings.Database.Port),
            (environment.Settings.Redis!.Host, environment.Settings.Redis.Port),
            (ReferencePlatform.BindAddress, environment.Platform.HttpsPort),
        }.Concat(environment.Sshd is { } ssh ? [(ssh.Host, ssh.Port)] : Array.Empty<(string, int)>())
         .Concat(environment.Prometheus is { } prometheus ? [(prometheus.Url.Host, prometheus.Url.Port)] : []).ToList();
        var prometheusPid = environment.Prometheus?.ProcessId;
        var sshdPid = environment.Sshd is null ? (int?)null : int.Parse(File.ReadAllText(Path.Combine(environment.StateDirectory, "sshd", "sshd.pid")).Trim());
        var prometheusDir = environment.Prometheus?.Directory;
        if (withPrometheus) environment.Settings.Input(SettingNames.PrometheusUrl).Should().Be(environment.Prometheus!.Url.ToString(), "the gate points GATE_PROMETHEUS_URL at its own server");
        endpoints.Should().OnlyContain(e => Listening(e.Item1, e.Item2), "PostgreSQL, Redis, the platform (and sshd and Prometheus, when installed) listen while the environment runs");
        (environment.Sshd is null).Should().Be(environment.SshUnavailable is not null, "without an SSH server the embedded default says why (the SSH checks skip with it)");
        if (environment.Sshd is { } sshServer)
            environment.Settings.Input(SettingNames.SshHost).Should().Be(sshServer.Endpoint, "the SSH checks are pointed at the embedded sshd");
        environment.Settings.BaseUrl!.Host.Should().Be("127.0.0.2", "the platform has its own loopback address, apart from the database and cache");

        await environment.DisposeAsync();

        // Port 22 is the production port: another embedded environment of this test run may take it the
        // moment ours lets go, so the embedded sshd is judged by its process there, not by the port.
        endpoints.Where(e => !(e.Item2 == 22 && sshdPid is not null)).Should().OnlyContain(e => !Listening(e.Item1, e.Item2), "nothing listens after the environment is disposed");
        if (sshdPid is { } sshdProcess) Directory.Exists($"/proc/{sshdProcess}").Should().BeFalse("the sshd process is gone");
        Directory.Exists($"/proc/{platformPid}").Should().BeFalse("the platform process is gone");
        if (prometheusPid is { } pid) Directory.Exists($"/proc/{pid}").Should().BeFalse("the Prometheus process is gone");
        if (prometheusDir is not null) Directory.Exists(prometheusDir).Should().BeFalse("Prometheus's data folder is removed");
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
