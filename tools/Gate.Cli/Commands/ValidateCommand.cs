using Gate.Fixtures.Settings;

namespace Gate.Cli.Commands;

/// <summary>
/// `gate-cli validate`: binds the GATE_* settings exactly as the suites will and reports the first
/// problem as one line before any suite starts. Prints what the gate is about to check.
/// </summary>
public static class ValidateCommand
{
    public static int Run(TextWriter stdout)
    {
        GateSettings settings;
        try
        {
            settings = GateSettings.FromEnvironment();
        }
        catch (GateConfigurationException e)
        {
            throw new GateConfigException(e.Message);
        }
        var target = settings.IsEmbedded
            ? $"the embedded default{(settings.Faults.Count > 0 ? $" with faults {string.Join(",", settings.Faults)}" : "")}"
            : $"{settings.BaseUrl} (API {settings.ApiUrl}, WebSocket {settings.WsUrl})";
        var roles = settings.IsEmbedded ? "seeded accounts" : settings.Credentials.Roles.Any() ? string.Join(",", settings.Credentials.Roles) : "none";
        stdout.WriteLine($"target: {target}; strict {(settings.Strict ? "on" : "off")}; writes {(settings.IsEmbedded || settings.AllowWrites ? "allowed" : "off (read-only)")}; credentials: {roles}");
        return 0;
    }
}
