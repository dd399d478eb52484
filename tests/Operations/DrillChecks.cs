using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Operations;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Settings;
using Xunit;

namespace Gate.Operations;

/// <summary>
/// Checks that disturb the platform (a Redis outage, a deliberate 500) or need it quiet (error
/// rate, latency and CPU windows) run alone, after every parallel check has finished.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Drills
{
    public const string Name = "Operations drills (run alone)";
}

[Collection(Drills.Name)]
public sealed class DrillChecks(GateEnvironment environment) : OperationsCheck(environment)
{
    private static readonly TimeSpan DrillWait = TimeSpan.FromSeconds(15);

    [Check("OBS-011", "10.2, 15.2", Severity = Severity.Critical, Required = false)]
    public async Task Readiness_fails_while_Redis_is_down_and_recovers_while_liveness_stays_up()
    {
        var embedded = Require.Value(Environment.Embedded, "the Redis outage drill runs only on the embedded default (it stops Redis)");
        await using var drill = await ReadinessDrill.StartAsync(Api, Settings.Paths, embedded.Redis, Cancellation);

        var down = await drill.WaitForReadinessAsync(503, DrillWait);
        var live = await Api.GetAsync(Settings.Paths.Liveness, ct: Cancellation);
        var back = await drill.RestoreAndWaitAsync(200, DrillWait);

        Evidence.Record("readiness_down_after_s", down.Seconds.ToString("F1"));
        Evidence.Record("readiness_back_after_s", back.Seconds.ToString("F1"));
        down.Status.Should().Be(503, $"with Redis stopped, {Settings.Paths.Readiness} must answer 503 within {DrillWait.TotalSeconds:F0} s; last answer: {down.Last}");
        live.Should().HaveStatus(200, "liveness must stay 200 while a dependency is down (a failing liveness restarts healthy pods)");
        back.Status.Should().Be(200, $"once Redis is back, {Settings.Paths.Readiness} must answer 200 again within {DrillWait.TotalSeconds:F0} s; last answer: {back.Last}");
    }

    [Check("OBS-009", "9.3, 15.4", Severity = Severity.High)]
    public async Task The_test_error_reaches_Sentry()
    {
        var dsn = Input(SettingNames.SentryDsn, "no Sentry DSN");
        Redactor.AddSecret(dsn);
        var since = DateTimeOffset.UtcNow;

        var trigger = await Api.GetAsync("/api/test-sentry-error/", ct: Cancellation);
        var delivered = await Probe(() => SentryDelivery.WaitAsync(Environment.Embedded?.Sentry, dsn, Settings, "Sentry test error", since, Cancellation));

        Evidence.Record("event_delivered", delivered.EventId is not null);
        trigger.Status.Should().Be(500, $"{trigger.Url} must raise its deliberate error (checklist 9.3)");
        delivered.EventId.Should().NotBeNull($"the error raised at {trigger.Url} must arrive in Sentry (SENTRY_DSN set, ENVIRONMENT=production); {delivered.Where}");
    }

    [Check("OBS-012", "16.1", Severity = Severity.High)]
    public async Task Error_rate_is_under_0_1_percent()
    {
        var window = await SampleAsync();

        Evidence.Record("requests", window.Requests);
        Evidence.Record("server_errors", window.ServerErrors);
        window.ErrorRate.Should().BeLessThan(0.001, $"django_request_total at {Settings.Paths.Prometheus} must show under 0.1 % 5xx; over {window.Requests} requests (50 paced reads by the gate) it counted {window.ServerErrors} 5xx ({window.ErrorRate:P2})");
    }

    [Check("OBS-013", "16.1", Severity = Severity.High)]
    public async Task API_response_time_p95_is_under_500_ms()
    {
        var window = await SampleAsync();

        Evidence.Record("p95_ms", (window.P95Seconds * 1000).ToString("F0"));
        window.ShareWithinHalfSecond.Should().BeGreaterThanOrEqualTo(0.95, $"django_request_latency_seconds at {Settings.Paths.Prometheus} must put 95 % of requests under 500 ms; {window.ShareWithinHalfSecond:P1} were (p95 ≈ {window.P95Seconds * 1000:F0} ms over {window.LatencyCount} requests)");
    }

    [Check("OBS-014", "16.1", Severity = Severity.High)]
    public async Task CPU_memory_and_disk_usage_are_under_their_limits()
    {
        var readings = await ResourceReadings.TakeAsync(Api, Environment.Sessions.Has("admin") ? await SessionAsync("admin") : null, Settings.Paths.Metrics, Cancellation);

        Evidence.Record("readings", string.Join("; ", readings));
        ResourceReadings.Breaches(readings, cpu: 70, memory: 80, disk: 80).Should().BeEmpty("checklist 16.1: CPU < 70 %, memory < 80 %, disk < 80 %");
    }

    private Task<TrafficWindow> SampleAsync() => SharedSample.GetAsync(async () =>
    {
        var session = await SessionAsync(Environment.Sessions.Has("tutor") ? "tutor" : "admin");
        return await TrafficSample.RunAsync(Api, Settings.Paths.Prometheus, "/api/auth/me/", session.Token, count: 50, perSecond: 8, Cancellation);
    });
}
