using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Security;
using Gate.Fixtures.Settings;
using Xunit;

[assembly: AssemblyFixture(typeof(Gate.Security.SecurityKit))]

namespace Gate.Security;

/// <summary>The suite's shared pieces: the paced raw HTTP client and the run's dedicated users (deactivated at the end).</summary>
public sealed class SecurityKit : IAsyncDisposable
{
    private HttpProbe? _http;
    private DedicatedUsers? _users;
    private readonly Lock _gate = new();

    public HttpProbe Http(GateEnvironment env)
    {
        lock (_gate) return _http ??= new HttpProbe(env.Trust, env.Settings.Timeout);
    }

    public DedicatedUsers Users(GateEnvironment env)
    {
        lock (_gate) return _users ??= new DedicatedUsers(Http(env), env.Settings.ApiUrl!, env.Settings.RunId);
    }

    public async ValueTask DisposeAsync()
    {
        if (_users is not null) await _users.CleanUpAsync();
        _http?.Dispose();
    }
}

/// <summary>Base of the security checks: URLs, inputs with defaults, dedicated users, write permission.</summary>
public abstract class SecurityCheck(GateEnvironment environment, SecurityKit kit) : GateCheck(environment)
{
    protected HttpProbe Http => kit.Http(Environment);

    protected Uri Site(string path) => new(Settings.BaseUrl!, path);

    protected Uri ApiUrl(string path) => new(Settings.ApiUrl!, path);

    protected string? Input(string name) => Settings.Input(name);

    protected int IntInput(string name, int fallback) =>
        Input(name) is { } v ? int.TryParse(v, out var n) ? n : throw new FormatException($"{name}='{v}' is not a whole number") : fallback;

    /// <summary>The host names the site answers to: GATE_HOSTNAMES, else the hosts of the frontend and API URLs.</summary>
    protected IReadOnlyList<string> Hostnames =>
        (Input(SettingNames.Hostnames)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
         ?? [Settings.BaseUrl!.Host, Settings.ApiUrl!.Host]).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The frontend origin that must be granted CORS.</summary>
    protected string AllowedOrigin => Input(SettingNames.CorsOrigin) ?? Settings.BaseUrl!.GetLeftPart(UriPartial.Authority);

    protected const string ForeignOrigin = "https://evil.gate-probe.example";

    /// <summary>Skips (with the reason) unless writes are allowed: the embedded default or GATE_ALLOW_WRITES=true.</summary>
    protected void RequireWrites(string what) =>
        Require.That(Settings.IsEmbedded || Settings.AllowWrites,
            $"{what} creates records: runs only on the embedded default or with GATE_ALLOW_WRITES=true (records tagged {Settings.RunId}, removed afterwards)");

    /// <summary>A dedicated synthetic user (created through the staff API), so a fresh sign-in never breaks the shared sessions.</summary>
    protected async Task<DedicatedUser> DedicatedUserAsync(string purpose, string role = "teacher")
    {
        RequireWrites($"a dedicated '{purpose}' user");
        var admin = await SessionAsync("admin");
        return await Probe(() => kit.Users(Environment).ForAsync(purpose, role, admin.Token, Cancellation));
    }

    protected async Task<FreshLogin> FreshLoginAsync(string purpose, string role = "teacher")
    {
        var user = await DedicatedUserAsync(purpose, role);
        return await Probe(() => kit.Users(Environment).LoginAsync(user, Cancellation));
    }
}
