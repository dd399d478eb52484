using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Security;
using Gate.Fixtures.Settings;
using Renci.SshNet;

namespace Gate.Security;

/// <summary>Checklist 11.1 (firewall), 11.2 (database isolation), 11.4 (SSH) and 15.6 (no secrets in logs).</summary>
public sealed class HardeningChecks(GateEnvironment environment, SecurityKit kit) : SecurityCheck(environment, kit)
{
    private string TargetHost => Settings.BaseUrl!.Host;

    private IReadOnlyList<int> AllowedPorts => PortScanner.ParseList(Input(SettingNames.AllowedPorts) ?? "80,443,22");

    [Check("HRD-001", "11.1", Severity = Severity.High)]
    public async Task Only_allowed_TCP_ports_are_open_on_the_target_host()
    {
        var scanned = (Input(SettingNames.ScanPorts) is { } spec ? PortScanner.ParseList(spec) : PortScanner.CommonPorts.Concat(AllowedPorts))
            .Concat(new[] { Settings.Database?.Port, Settings.Redis?.Port }.OfType<int>()).Distinct().ToList();

        var open = await PortScanner.OpenPortsAsync(TargetHost, scanned, TimeSpan.FromSeconds(2), Cancellation);

        Evidence.Record("open_ports", string.Join(",", open));
        open.Except(AllowedPorts).Should().BeEmpty($"a TCP connect scan of {TargetHost} ({scanned.Count} ports) may find only GATE_ALLOWED_PORTS ({string.Join(",", AllowedPorts)}) open; close or firewall the rest (ufw deny)");
    }

    [Check("HRD-002", "11.1, 11.2", Severity = Severity.Critical)]
    public async Task PostgreSQL_and_Redis_are_not_reachable_on_the_target_host()
    {
        var ports = new[] { 5432, 6379, Settings.Database?.Port ?? 5432, Settings.Redis?.Port ?? 6379 }.Distinct().ToList();

        var open = await PortScanner.OpenPortsAsync(TargetHost, ports, TimeSpan.FromSeconds(2), Cancellation);

        open.Should().BeEmpty($"PostgreSQL and Redis must listen only on the private network, never on the public address {TargetHost} (ports {string.Join(",", ports)})");
    }

    /// <summary>
    /// The SSH server to check: GATE_SSH_HOST, on the embedded default its own sshd. Absent, the
    /// check skips with the reason (a machine without openssh-server names the package).
    /// </summary>
    private (string Host, int Port) Ssh => SshProbe.ParseEndpoint(Require.Value(Input(SettingNames.SshHost),
        Environment.Embedded?.SshUnavailable ?? "no SSH server given (GATE_SSH_HOST)"));

    [Check("HRD-003", "11.4", Severity = Severity.High, Required = false)]
    public async Task SSH_refuses_password_and_keyboard_interactive_logins()
    {
        var (host, port) = Ssh;
        var user = Input(SettingNames.SshUser) ?? "deploy";

        var facts = await Probe(() => SshProbe.MethodsAsync(host, port, user, Settings.Timeout, Cancellation));

        Evidence.Record("methods", string.Join(",", facts.AllowedMethods));
        var passwordLikeMethods = facts.AllowedMethods.Where(m => m is "password" or "keyboard-interactive" || m.StartsWith("none", StringComparison.Ordinal)).ToList();
        passwordLikeMethods.Should().BeEmpty($"{facts.Endpoint} ({facts.ServerVersion}) must offer {user} public keys only (PasswordAuthentication no, KbdInteractiveAuthentication no); it offers {string.Join(",", facts.AllowedMethods)}");
    }

    [Check("HRD-004", "11.4", Severity = Severity.High, Required = false)]
    public async Task SSH_refuses_root_logins()
    {
        var (host, port) = Ssh;
        var key = Input(SettingNames.SshKeyFile);

        var withPassword = await Probe(() => SshProbe.LoginSucceedsAsync(host, port, new PasswordAuthenticationMethod("root", "root"), Settings.Timeout, Cancellation));
        var withKey = key is not null
            && await Probe(() => SshProbe.LoginSucceedsAsync(host, port, new PrivateKeyAuthenticationMethod("root", new PrivateKeyFile(key)), Settings.Timeout, Cancellation));

        Evidence.Record("root_login_password", withPassword ? "accepted" : "refused");
        Evidence.Record("root_login_key", key is null ? "not tried (no GATE_SSH_KEY_FILE)" : withKey ? "accepted" : "refused");
        withPassword.Should().BeFalse($"root must be refused at {host}:{port} (PermitRootLogin no); a login as root with the password 'root' succeeded");
        withKey.Should().BeFalse($"root must be refused at {host}:{port} (PermitRootLogin no); a login as root with the key in GATE_SSH_KEY_FILE ({key}) succeeded");
    }

    [Check("HRD-005", "15.6, 8.2", Severity = Severity.Critical)]
    public void Logs_and_gate_output_contain_no_secrets_or_tokens()
    {
        var logDir = Require.Value(Input(SettingNames.LogDir), "no log folder given (GATE_LOG_DIR)");
        var secrets = (Input(SettingNames.EnvFile) is { } env ? EnvFile.Read(env).SecretValues() : [])
            .Concat(Settings.Credentials.Secrets).Concat(new[] { Settings.Database?.Password, Settings.Redis?.Password }.OfType<string>()).Where(s => s.Length >= 8).ToList();

        var findings = new List<string>();
        foreach (var file in Directory.EnumerateFiles(logDir, "*", SearchOption.AllDirectories)
                     .Concat(Directory.Exists(Settings.ResultsDirectory) ? Directory.EnumerateFiles(Settings.ResultsDirectory, "*", SearchOption.AllDirectories) : []))
        {
            var text = File.ReadAllText(file);
            findings.AddRange(secrets.Where(s => text.Contains(s, StringComparison.Ordinal)).Select((_, i) => $"{file}: a configured secret value (#{i + 1})"));
            findings.AddRange(LeakScanner.TokenShapes(text).Take(3).Select(t => $"{file}: {t}"));
        }

        Evidence.Record("secrets_checked", secrets.Count);
        findings.Distinct().Should().BeEmpty($"the platform logs ({logDir}) and the gate's results ({Settings.ResultsDirectory}) must not contain secret values or token-shaped strings");
    }
}
