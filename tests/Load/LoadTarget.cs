using System.Globalization;
using Gate.Fixtures.Reporting;
using System.Net.Security;
using System.Text.Json;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Settings;
using Gate.Load;
using Xunit;

namespace Gate.LoadSuite;

/// <summary>
/// What the load checks aim at, resolved from the gate environment: a load client trusting the
/// run's CA, the pool of signed-in role sessions, URLs, the resource sampler, and a runner that
/// writes reports into the results folder and attaches them to the test result.
/// </summary>
public sealed class LoadTarget : IAsyncDisposable
{
    /// <summary>Roles whose accounts carry the virtual users (admin sees no materials: left out).</summary>
    public static readonly string[] PoolRoles = ["student", "student2", "teacher", "teacher2", "tutor", "parent"];

    private readonly GateEnvironment _env;
    private HttpClient? _metricsClient;

    public LoadTarget(GateEnvironment env, LoadProfile profile)
    {
        _env = env;
        Profile = profile;
        Validate = env.Trust.Validate;
        Http = LoadHttp.CreateInvoker(maxConnections: 2048, Validate);
    }

    public LoadProfile Profile { get; }
    public HttpMessageInvoker Http { get; }
    public RemoteCertificateValidationCallback Validate { get; }
    public GateSettings Settings => _env.Settings;

    public Uri Api(string path) => new(Settings.ApiUrl!, path);

    public Uri ChatSocket(int room, string token) =>
        new($"{Settings.WsUrl!.ToString().TrimEnd('/')}/chat/{room}/?token={Uri.EscapeDataString(token)}");

    /// <summary>THE_BOT's global burst throttle (contract §7): 10 requests/s per account, per address when anonymous.</summary>
    public const double BurstPerSecond = 10;

    /// <summary>
    /// The share of the burst limit the pool plans for. The throttle counts in fixed 1 s windows:
    /// round robin spreads an account's iterations evenly but not to the window (one more or less),
    /// and after a scheduler stall the open model sends the delayed arrivals at once; 60 % leaves
    /// room for both. ci: 30 it/s over 5 accounts = 6 requests/s each, at most.
    /// </summary>
    public const double Margin = 0.6;

    /// <summary>Load-account sign-ins at once (each is a password hash on the target).</summary>
    private const int SignInConcurrency = 4;

    /// <summary>nginx's login limit in front of THE_BOT: 5 requests/min per address (12 s apart).</summary>
    private static readonly TimeSpan LoginSpacing = TimeSpan.FromSeconds(12);

    /// <summary>The signed-in accounts of a scenario and their Authorization headers, taken round robin.</summary>
    public sealed record Pool(IReadOnlyList<Session> Sessions, AccountPool<string> Authorizations);

    /// <summary>
    /// The virtual users' accounts for a scenario reaching <paramref name="peakRate"/> iterations/s,
    /// each sending <paramref name="signedInRequests"/> requests as one account: as many as keep every
    /// account under <see cref="Margin"/> of the burst throttle, from GATE_LOAD_ACCOUNTS (embedded:
    /// the seeded load accounts), else the role accounts. Too few: the check skips (strict: fails)
    /// naming GATE_LOAD_ACCOUNTS and the number needed, rather than measuring the target's 429s.
    /// Each account signs in once per run (shared by every check).
    /// </summary>
    public async Task<Pool> SessionPoolAsync(string scenario, double peakRate, int signedInRequests)
    {
        var needed = Math.Max(1, AccountPool.Needed(peakRate, signedInRequests, BurstPerSecond, Margin));
        var demand = string.Create(CultureInfo.InvariantCulture,
            $"load scenario '{scenario}' at {peakRate:0.#} iterations/s with {signedInRequests} signed-in request(s) each needs {needed} accounts to keep every account under {Margin * BurstPerSecond:0.#} of THE_BOT's {BurstPerSecond:0} requests/s per account");
        var accounts = Settings.LoadAccounts;
        List<Session> sessions;
        if (accounts.Count > 0)
        {
            Require.That(accounts.Count >= needed, Settings.IsEmbedded
                ? $"{demand}, but the embedded default seeded {accounts.Count} load accounts: raise EmbeddedLoadAccounts in tests/Load/EmbeddedLoadPool.cs to at least {needed}"
                : $"{demand}, but {SettingNames.LoadAccounts} lists {accounts.Count}: list at least {needed} load-test accounts there");
            sessions = await SignInAsync(accounts.Take(needed).ToList());
        }
        else
        {
            var configured = PoolRoles.Where(_env.Sessions.Has).ToList();
            Require.That(configured.Count >= needed,
                $"{demand}; without {SettingNames.LoadAccounts} the pool is the role accounts, and {configured.Count} of {PoolRoles.Length} are configured ({(configured.Count == 0 ? "set GATE_<ROLE>_EMAIL/_PASSWORD" : string.Join(", ", configured))}): set {SettingNames.LoadAccounts} to a file of at least {needed} load-test accounts");
            sessions = [];
            foreach (var role in configured.Take(needed))
            {
                try { sessions.Add(await _env.Sessions.ForAsync(role)); }
                catch (ProbeException e) { Assert.Fail(e.Message); }
            }
        }
        return new Pool(sessions, new AccountPool<string>(sessions.Select(s => $"Token {s.Token}")));
    }

    /// <summary>
    /// Signs load accounts in, <see cref="SignInConcurrency"/> at a time and started at most
    /// <see cref="Margin"/> × the burst limit a second (a login is an anonymous request: the burst
    /// throttle counts it per address). A login limit per address (nginx: 5/min) paces them further;
    /// the pool then waits as long as that pace needs for these accounts.
    /// </summary>
    private async Task<List<Session>> SignInAsync(IReadOnlyList<LoadAccount> accounts)
    {
        var ct = TestContext.Current.CancellationToken;
        var patience = LoginSpacing * accounts.Count + TimeSpan.FromMinutes(1);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var before = _env.Sessions.ThrottledSignIns;
        var sessions = new Session[accounts.Count];
        var spacing = TimeSpan.FromSeconds(1 / (BurstPerSecond * Margin));
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, accounts.Count), new ParallelOptions { MaxDegreeOfParallelism = SignInConcurrency, CancellationToken = ct },
                async (i, token) =>
                {
                    // Already signed in (an earlier check) costs nothing; a new sign-in waits for its slot.
                    if (!_env.Sessions.HasLoadAccount(accounts[i]))
                    {
                        TimeSpan wait;
                        lock (_signInPace)
                        {
                            var now = DateTime.UtcNow;
                            var slot = _nextSignIn > now ? _nextSignIn : now;
                            _nextSignIn = slot + spacing;
                            wait = slot - now;
                        }
                        if (wait > TimeSpan.Zero) await Task.Delay(wait, token);
                    }
                    sessions[i] = await _env.Sessions.ForLoadAccountAsync(accounts[i], patience, token);
                });
        }
        catch (ProbeException e) { Assert.Fail(e.Message); }
        var throttled = _env.Sessions.ThrottledSignIns;
        if (throttled.Count > before.Count)
            TestContext.Current.AddWarning(string.Create(CultureInfo.InvariantCulture,
                $"load pool: the target rate limited {throttled.Count - before.Count} sign-ins (waited {(throttled.Waited - before.Waited).TotalSeconds:0} s); tokens in {SettingNames.LoadAccounts}' third column spare the login limit"));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load pool: {accounts.Count} accounts ({(Settings.IsEmbedded ? "seeded by the embedded default" : SettingNames.LoadAccounts)}) ready in {started.Elapsed.TotalSeconds:0.0} s"));
        return [.. sessions];
    }

    private readonly Lock _signInPace = new();
    private DateTime _nextSignIn;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<int>> _anonymousProbes = new();

    /// <summary>
    /// An anonymous step sends <paramref name="rate"/> requests/s from this one address; THE_BOT's
    /// burst throttle counts anonymous requests per address, unless the path is exempt (the
    /// reference platform exempts its health probes). Above <see cref="Margin"/> of the limit, 21
    /// back-to-back requests (two windows' worth and one) tell: any 429 or 503 and the check skips
    /// (strict: fails) with the reason, instead of measuring the throttle.
    /// </summary>
    public async Task RequireAnonymousHeadroomAsync(string scenario, string path, double rate)
    {
        if (rate <= BurstPerSecond * Margin) return;
        var url = Api(path);
        var throttled = await _anonymousProbes.GetOrAdd(path, _ => ProbeThrottleAsync(url));
        Require.That(throttled == 0, string.Create(CultureInfo.InvariantCulture,
            $"load scenario '{scenario}' sends {rate:0.#} anonymous requests/s to {url.GetLeftPart(UriPartial.Path)} from this one address, but the target throttles that path per address ({throttled} of {AnonymousProbeRequests} back-to-back requests answered 429/503): exempt it from the burst throttle (as health probes are on the reference platform) or raise the limit for the load source's address"));
    }

    private const int AnonymousProbeRequests = 21;

    private async Task<int> ProbeThrottleAsync(Uri url)
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, AnonymousProbeRequests)
            .Select(_ => LoadHttp.GetAsync(Http, url, TestContext.Current.CancellationToken).AsTask()));
        return outcomes.Count(o => o.StatusCode is 429 or 503);
    }

    public async Task<Session> SessionAsync(string role)
    {
        Require.That(_env.Sessions.Has(role), $"no credentials for role '{role}' (set GATE_{role.ToUpperInvariant()}_EMAIL and GATE_{role.ToUpperInvariant()}_PASSWORD)");
        try { return await _env.Sessions.ForAsync(role); }
        catch (ProbeException e) { Assert.Fail(e.Message); throw; }
    }

    /// <summary>One request before the load: a scenario whose endpoint already fails cannot measure anything.</summary>
    public async Task PreflightAsync(string scenario, string path, Session? session = null)
    {
        var response = await SetupAsync(() => _env.Api.GetAsync(path, session?.Token, ct: TestContext.Current.CancellationToken));
        if (response.Status is < 200 or >= 400)
            Assert.Fail($"pre-flight of load scenario '{scenario}': GET {response.Url}{(session is null ? "" : $" as {session.Role}")} answered {(response.Answered ? response.Status.ToString() : response.TransportError)}; fix the endpoint before measuring it under load");
    }

    /// <summary>The direct chat between two users (created on the embedded default or with GATE_ALLOW_WRITES).</summary>
    public async Task<int> ChatRoomAsync(Session from, Session to)
    {
        var ct = TestContext.Current.CancellationToken;
        var list = await SetupAsync(() => _env.Api.GetAsync("/api/chat/", from.Token, ct: ct));
        if (FindRoom(list.Json, to.UserId) is { } existing) return existing;
        Require.That(Settings.IsEmbedded || Settings.AllowWrites,
            $"no chat between {from.Role} and {to.Role} at {list.Url} and GATE_ALLOW_WRITES is off, so the WebSocket load cannot create one");
        var created = await SetupAsync(() => _env.Api.PostJsonAsync("/api/chat/", new { recipient_id = to.UserId }, from.Token, ct: ct));
        if (created.Status is not (200 or 201))
            Assert.Fail($"creating a chat {from.Role} -> {to.Role}: {created.Describe()}");
        if (created.JsonString("id") is { } id && int.TryParse(id, out var room)) return room;
        list = await SetupAsync(() => _env.Api.GetAsync("/api/chat/", from.Token, ct: ct));
        return FindRoom(list.Json, to.UserId) ?? throw new InvalidOperationException($"chat {from.Role} -> {to.Role} created but not listed at {list.Url}");
    }

    /// <summary>
    /// Set-up requests (not measured) are retried once after a 5xx or a transport error, with a
    /// warning: the load, not the set-up, is what judges the error rate.
    /// </summary>
    private static async Task<ApiResponse> SetupAsync(Func<Task<ApiResponse>> request)
    {
        var response = await request();
        if (response.Answered && response.Status < 500) return response;
        TestContext.Current.AddWarning($"load set-up: {response.Describe(120)}; retrying once");
        return await request();
    }

    private static int? FindRoom(JsonElement? json, int otherUserId)
    {
        if (json is not { } j) return null;
        var items = j.ValueKind == JsonValueKind.Array ? j : j.TryGetProperty("results", out var r) ? r : default;
        if (items.ValueKind != JsonValueKind.Array) return null;
        foreach (var chat in items.EnumerateArray())
            if (chat.TryGetProperty("other_participant", out var other) && other.ValueKind == JsonValueKind.Object
                && other.TryGetProperty("id", out var oid) && oid.TryGetInt32(out var o) && o == otherUserId
                && chat.TryGetProperty("id", out var cid) && cid.TryGetInt32(out var c))
                return c;
        return null;
    }

    /// <summary>
    /// The target's CPU and memory: /proc of the embedded platform's process, else the staff-only
    /// metrics endpoint (cpu.percent, memory.percent) with the admin session, else none.
    /// </summary>
    public async Task<(ResourceSampler? Sampler, string Source)> SamplerAsync()
    {
        if (_env.Embedded?.Platform is { } platform)
            return (ResourceSamplers.ProcFs(platform.ProcessId), $"/proc/{platform.ProcessId} (embedded reference platform)");
        if (!_env.Sessions.Has("admin"))
            return (null, $"no sampler: {Settings.Paths.Metrics} is staff-only, set GATE_ADMIN_EMAIL and GATE_ADMIN_PASSWORD");
        var admin = await SessionAsync("admin");
        var handler = LoadHttp.CreateHandler(4);
        handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate };
        _metricsClient ??= new HttpClient(handler) { Timeout = Settings.Timeout };
        var url = Api(Settings.Paths.Metrics);
        return (ResourceSamplers.MetricsEndpoint(_metricsClient, url, $"Token {admin.Token}"), url.GetLeftPart(UriPartial.Path));
    }

    /// <summary>
    /// Runs the scenarios with the resource sampler and thresholds, writes the reports to
    /// &lt;results&gt;/load/&lt;check&gt;/ and attaches the summary and HTML report to the test result.
    /// </summary>
    public async Task<LoadRunResult> RunAsync(string name, bool gateOnResources, params Scenario[] scenarios)
    {
        var folder = Path.Combine(Settings.ResultsDirectory, "load", name);
        var runner = LoadRunner.RegisterScenarios(scenarios)
            .WithName(name)
            .WithReportFolder(folder)
            .WithGracefulStop(TimeSpan.FromSeconds(Profile == LoadProfile.Ci ? 5 : 30))
            .WithProgress(line =>
            {
                TestContext.Current.TestOutputHelper?.WriteLine(line);
                Console.WriteLine(line);
            }, TimeSpan.FromSeconds(Profile == LoadProfile.Ci ? 3 : 10));
        var (sampler, source) = await SamplerAsync();
        if (sampler is not null) runner = runner.WithResourceSampler(sampler, source);
        if (gateOnResources) runner = runner.WithThresholds(Threshold.ChecklistResources());
        var result = await runner.RunAsync(TestContext.Current.CancellationToken);
        foreach (var file in result.ReportFiles)
        {
            var fileName = Path.GetFileName(file);
            if (fileName.EndsWith("-summary.md", StringComparison.Ordinal))
                TestContext.Current.AddAttachment(fileName, await File.ReadAllTextAsync(file));
            else if (fileName.EndsWith("-report.html", StringComparison.Ordinal))
                TestContext.Current.AddAttachment(fileName, await File.ReadAllBytesAsync(file), "text/html");
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"load reports: {folder}");
        // Evidence for the sign-off: what each scenario and step measured against the checklist's limits.
        foreach (var scenario in result.Scenarios)
        {
            Evidence.Record($"{scenario.Name} p95 ms", scenario.Iterations.PercentileMs(95).ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
            Evidence.Record($"{scenario.Name} error rate %", (scenario.Iterations.ErrorRate * 100).ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
            Evidence.Record($"{scenario.Name} dropped", scenario.Dropped);
            foreach (var step in scenario.Steps)
                Evidence.Record($"{scenario.Name}/{step.Name} p95 ms", step.PercentileMs(95).ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
        }
        if (result.Resources is { Samples.Count: > 0 } resources)
        {
            Evidence.Record("max CPU %", resources.Samples.Max(x => x.CpuPercent ?? 0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
            Evidence.Record("max memory %", resources.Samples.Max(x => x.MemoryPercent ?? 0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
        }
        return result;
    }

    public ValueTask DisposeAsync()
    {
        Http.Dispose();
        _metricsClient?.Dispose();
        return ValueTask.CompletedTask;
    }
}
