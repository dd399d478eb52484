using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Clients;
using Gate.Load;
using Xunit;

namespace Gate.LoadSuite;

/// <summary>
/// Deployment checklist 13.2: at the checklist's load the platform keeps p95 &lt; 500 ms, errors
/// &lt; 0.1 % and target CPU and memory &lt; 80 %. The verdict comes from open-model runs
/// (latency timed from the intended send time, nothing dropped); the closed 100/500/1000-user
/// runs (locust -u/-r) are reported alongside. Profile: GATE_LOAD_PROFILE (ci | staging).
/// All checks live in one class so their loads never overlap.
/// </summary>
public sealed class LoadChecks(GateEnvironment environment) : GateCheck(environment), IAsyncLifetime
{
    private LoadTarget _target = null!;
    private static long _counter;

    public ValueTask InitializeAsync()
    {
        _target = new LoadTarget(Environment, LoadProfile.FromEnvironment());
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _target.DisposeAsync();

    private LoadProfile Profile => _target.Profile;

    [Check("LOAD-001", "13.2, 16.1", Severity = Severity.Critical)]
    public async Task Api_reads_keep_p95_under_500ms_and_errors_under_a_tenth_of_a_percent_at_checklist_load()
    {
        await _target.RequireAnonymousHeadroomAsync("api-read", Settings.Paths.Liveness, Profile.ApiReadPeakRate);
        var pool = await _target.SessionPoolAsync("api-read", Profile.ApiReadPeakRate, signedInRequests: 1);
        await _target.PreflightAsync("api-read", Settings.Paths.Liveness);
        await _target.PreflightAsync("api-read", Materials, pool.Sessions[0]);

        var result = await _target.RunAsync("load-001-api-read", gateOnResources: true, ApiRead(pool)
            .WithWarmUp(Profile.WarmUpStage(Profile.ApiReadPeakRate))
            .WithLoadSimulations(Profile.OpenStages(Profile.ApiReadPeakRate))
            .WithThresholds(Threshold.Checklist()));

        result.Failures.Should().BeEmpty(because: Verdict(result));
    }

    [Check("LOAD-002", "13.2", Severity = Severity.Critical)]
    public async Task A_role_mix_browsing_materials_assignments_and_chats_keeps_p95_under_500ms_and_errors_under_a_tenth_of_a_percent()
    {
        var pool = await _target.SessionPoolAsync("role-mix", Profile.RoleMixPeakRate, signedInRequests: 3);
        foreach (var path in new[] { Materials, Assignments, Chats })
            await _target.PreflightAsync("role-mix", path, pool.Sessions[0]);

        var result = await _target.RunAsync("load-002-role-mix", gateOnResources: true, RoleMix(pool)
            .WithWarmUp(Profile.WarmUpStage(Profile.RoleMixPeakRate))
            .WithLoadSimulations(Profile.OpenStages(Profile.RoleMixPeakRate))
            .WithThresholds(Threshold.Checklist()));

        result.Failures.Should().BeEmpty(because: Verdict(result));
    }

    [Check("LOAD-003", "13.2", Severity = Severity.High)]
    public async Task Chat_messages_reach_the_other_participant_over_WebSocket_within_500ms_at_p95()
    {
        // Chat messages are writes (tagged with the run id; THE_BOT has no API to delete them).
        Require.That(Settings.IsEmbedded || Settings.AllowWrites,
            "the WebSocket chat load sends chat messages (writes) to the target: set GATE_ALLOW_WRITES=true to run it outside the embedded default");
        var student = await _target.SessionAsync("student");
        var teacher = await _target.SessionAsync("teacher");
        var room = await _target.ChatRoomAsync(student, teacher);
        JsonSocket? sender = null, receiver = null;
        var ct = TestContext.Current.CancellationToken;
        try
        {
            sender = await JsonSocket.ConnectAsync(_target.ChatSocket(room, student.Token), _target.Validate, Settings.Timeout, ct);
            receiver = await JsonSocket.ConnectAsync(_target.ChatSocket(room, teacher.Token), _target.Validate, Settings.Timeout, ct);
            await Task.WhenAll(sender.WaitForAsync(IsType("auth_success"), ct, includeRecent: true).WaitAsync(Settings.Timeout, ct),
                               receiver.WaitForAsync(IsType("auth_success"), ct, includeRecent: true).WaitAsync(Settings.Timeout, ct));

            var chat = Chat(sender, receiver)
                // THE_BOT allows 60 chat messages a minute per user: one sender stays at 0.8/s.
                .WithWarmUp(Simulation.ConstantRate(0.5, TimeSpan.FromSeconds(2)))
                .WithLoadSimulations(Simulation.ConstantRate(Profile.ChatRate, Profile.Hold * Profile.Users.Length))
                .WithThresholds(Threshold.Checklist());
            var result = await _target.RunAsync("load-003-websocket-chat", gateOnResources: false, chat);

            result.Failures.Should().BeEmpty(because: Verdict(result));
        }
        catch (System.Net.WebSockets.WebSocketException e)
        {
            Assert.Fail($"WebSocket chat {room}: {e.Message}");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"WebSocket chat {room}: no auth_success within {Settings.Timeout.TotalSeconds:0} s on {sender?.Url ?? receiver?.Url} (close status {sender?.CloseStatus?.ToString() ?? receiver?.CloseStatus?.ToString() ?? "none"})");
        }
        finally
        {
            if (sender is not null) await sender.DisposeAsync();
            if (receiver is not null) await receiver.DisposeAsync();
        }
    }

    [Check("LOAD-004", "13.2", Severity = Severity.Info)]
    public async Task Closed_model_runs_at_100_500_and_1000_users_are_reported_alongside()
    {
        // A closed user sends at most one iteration per think time: the largest step peaks at users ÷ think.
        await _target.RequireAnonymousHeadroomAsync("closed", Settings.Paths.Liveness, Profile.UsersPeakRate);
        var pool = await _target.SessionPoolAsync("closed", Profile.UsersPeakRate, signedInRequests: 1);
        await _target.PreflightAsync("closed", Materials, pool.Sessions[0]);

        var scenarios = Profile.ClosedStages()
            .Select(s => ApiRead(pool, $"closed-{s.Users}-users").WithLoadSimulations(s.Stage).WithThresholds(Threshold.Checklist()))
            .ToList();
        var results = new List<LoadRunResult>();
        foreach (var scenario in scenarios) // one after another, as locust runs -u 100, then 500, then 1000
            results.Add(await _target.RunAsync($"load-004-{scenario.Name}", gateOnResources: false, scenario));

        // A closed client slows down with the server and omits the requests it would have sent,
        // so these runs are evidence, not the verdict: threshold misses become warnings.
        foreach (var failure in results.SelectMany(r => r.Failures))
            TestContext.Current.AddWarning($"closed model (not gating): {failure}");
        results.Should().OnlyContain(r => r.Scenarios[0].Iterations.Total > 0,
            because: "every closed-model stage must have completed iterations to be worth reporting");
    }

    // ---- scenarios ------------------------------------------------------------------------------

    private string Materials => "/api/materials/materials/";
    private const string Assignments = "/api/assignments/";
    private const string Chats = "/api/chat/";

    /// <summary>Liveness (anonymous) and the materials list with a token from the pool (round robin per iteration).</summary>
    private Scenario ApiRead(LoadTarget.Pool pool, string name = "api-read")
    {
        var live = _target.Api(Settings.Paths.Liveness);
        var materials = _target.Api(Materials);
        var http = _target.Http;
        return Scenario.Create(name)
            .WithStep("liveness", ctx => LoadHttp.GetAsync(http, live, ctx.CancellationToken))
            .WithStep("materials", ctx => LoadHttp.GetAsync(http, materials, ctx.CancellationToken, Next(pool, ctx)));
    }

    /// <summary>A signed-in pool account (one login per account for the whole run) browsing materials, assignments and chats.</summary>
    private Scenario RoleMix(LoadTarget.Pool pool)
    {
        var (materials, assignments, chats) = (_target.Api(Materials), _target.Api(Assignments), _target.Api(Chats));
        var http = _target.Http;
        return Scenario.Create("role-mix")
            .WithStep("materials", ctx => LoadHttp.GetAsync(http, materials, ctx.CancellationToken, Next(pool, ctx)))
            .WithStep("assignments", ctx => LoadHttp.GetAsync(http, assignments, ctx.CancellationToken, (string)ctx.UserState!))
            .WithStep("chats", ctx => LoadHttp.GetAsync(http, chats, ctx.CancellationToken, (string)ctx.UserState!));
    }

    /// <summary>The student sends a uniquely tagged message; the step ends when the teacher's connection receives it.</summary>
    private Scenario Chat(JsonSocket sender, JsonSocket receiver)
    {
        var run = Settings.RunId;
        return Scenario.Create("websocket-chat")
            .WithStep("send-and-receive", async ctx =>
            {
                var content = $"load {run} #{Interlocked.Increment(ref _counter)}";
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ctx.CancellationToken);
                var echo = receiver.WaitForAsync(f => IsType("message")(f) && Content(f) == content, waiting.Token);
                var refused = sender.WaitForAsync(IsType("error"), waiting.Token);
                await sender.SendAsync(new { type = "message", content }, ctx.CancellationToken);
                var first = await Task.WhenAny(echo, refused);
                await waiting.CancelAsync();
                if (first == refused && refused.IsCompletedSuccessfully)
                    return Outcome.Fail(0, $"error frame {Field(refused.Result, "code")}: {Field(refused.Result, "message")}");
                await echo; // a closed socket or a timeout surfaces as the step's error
                return Outcome.Ok();
            });
    }

    /// <summary>The next pool account, round robin over iterations, so each account stays under the 10/s burst throttle; later steps of the iteration reuse it.</summary>
    private static string Next(LoadTarget.Pool pool, StepContext ctx)
    {
        var authorization = pool.Authorizations.Next();
        ctx.UserState = authorization;
        return authorization;
    }

    private static Func<System.Text.Json.JsonElement, bool> IsType(string type) =>
        f => f.TryGetProperty("type", out var t) && t.ValueKind == System.Text.Json.JsonValueKind.String && t.GetString() == type;

    private static string? Content(System.Text.Json.JsonElement frame) =>
        frame.TryGetProperty("message", out var m) && m.ValueKind == System.Text.Json.JsonValueKind.Object
        && m.TryGetProperty("content", out var c) ? c.GetString()
        : frame.TryGetProperty("content", out var d) ? d.GetString() : null;

    private static string? Field(System.Text.Json.JsonElement frame, string name) =>
        frame.TryGetProperty(name, out var v) ? v.ToString() : null;

    private static string Verdict(LoadRunResult r) =>
        $"the open-model run must meet checklist 13.2 ({r.Thresholds.Count(t => !t.Passed)} of {r.Thresholds.Count} thresholds failed; reports in {Path.GetDirectoryName(r.ReportFiles.FirstOrDefault() ?? "")})";
}
