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

    /// <summary>Signs the pool roles in (once per run, shared with every check); skips when none is configured.</summary>
    public async Task<IReadOnlyList<Session>> SessionPoolAsync()
    {
        var configured = PoolRoles.Where(_env.Sessions.Has).ToList();
        Require.That(configured.Count > 0, $"no role credentials for the virtual user pool (set GATE_<ROLE>_EMAIL/_PASSWORD for any of {string.Join(", ", PoolRoles)})");
        var sessions = new List<Session>();
        foreach (var role in configured)
        {
            try { sessions.Add(await _env.Sessions.ForAsync(role)); }
            catch (ProbeException e) { Assert.Fail(e.Message); }
        }
        return sessions;
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
