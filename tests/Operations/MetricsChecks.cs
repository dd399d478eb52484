using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Embedded;
using Gate.Fixtures.Operations;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Settings;

// The embedded default starts a throwaway Prometheus server for this suite (OBS-008 asks it for `up`).
[assembly: EmbeddedPrometheus]

namespace Gate.Operations;

/// <summary>Checklist 9.1, 10.2, 15.4: Prometheus exposition, scrape configuration, a Prometheus server's `up`, health endpoints.</summary>
public sealed class MetricsChecks(GateEnvironment environment) : OperationsCheck(environment)
{
    [Check("OBS-006", "9.1, 15.4", Severity = Severity.High)]
    public async Task The_Prometheus_exposition_is_valid_and_has_every_contract_family()
    {
        var scrape = await Api.GetAsync(Settings.Paths.Prometheus, ct: Cancellation);
        scrape.Should().HaveStatus(200, "Prometheus must be able to scrape the backend");

        var text = PrometheusText.Parse(scrape.Body);

        Evidence.Record("families", text.Families.Count);
        text.Errors.Should().BeEmpty($"{scrape.Url} must be valid Prometheus text format 0.0.4");
        var missingFamilies = ContractMetrics.Families.Where(f => !text.Families.Contains(f));
        missingFamilies.Should().BeEmpty($"{scrape.Url} must expose every metric family of platform contract §6");
    }

    [Check("OBS-007", "9.1", Severity = Severity.Medium)]
    public void Prometheus_scrapes_the_backend_on_the_metrics_path()
    {
        var path = Input(SettingNames.PrometheusConfig, "no prometheus.yml");
        var job = Settings.Input(SettingNames.PrometheusJob) ?? SettingNames.DefaultPrometheusJob;

        var jobs = Load(path, PrometheusConfig.Jobs);

        jobs.Should().ContainKey(job, $"{path} must have a scrape job '{job}' (GATE_PROMETHEUS_JOB) for the backend");
        jobs[job].Should().Be(Settings.Paths.Prometheus, $"job '{job}' in {path} must scrape metrics_path {Settings.Paths.Prometheus} (Prometheus defaults to /metrics, which THE_BOT does not serve)");
    }

    [Check("OBS-008", "9.1", Severity = Severity.Medium, Required = false)]
    public async Task Prometheus_reports_the_backend_target_up()
    {
        // On the embedded default the gate's own Prometheus scrapes the platform (the prometheus package must be installed).
        var local = Environment.Embedded?.Prometheus;
        var prometheus = Settings.Input(SettingNames.PrometheusUrl)
            ?? Require.Value<string>(null, Environment.Embedded is not null ? LocalPrometheus.MissingReason : $"no Prometheus server URL given ({SettingNames.PrometheusUrl})");
        var job = Settings.Input(SettingNames.PrometheusJob) ?? SettingNames.DefaultPrometheusJob;
        var ours = local is not null && new Uri(prometheus) == local.Url;
        // The gate's server was started with the suite: wait for its first scrape rather than judge an empty vector.
        var bound = ours ? LocalPrometheus.FirstScrapeBound - (DateTime.UtcNow - local!.StartedAt) : TimeSpan.Zero;

        var values = await Probe(() => PrometheusApi.WaitForUpAsync(new Uri(prometheus), job, Settings.Timeout, bound, Cancellation));
        var down = values.Count == 0 || values.Any(v => v != "1")
            ? await Probe(() => PrometheusApi.TargetsAsync(new Uri(prometheus), job, Settings.Timeout, Cancellation))
            : [];

        Evidence.Record("up", string.Join(",", values));
        if (ours)
        {
            Evidence.Record("prometheus_spawn_ms", local!.SpawnTime.TotalMilliseconds.ToString("F0"));
            Evidence.Record("prometheus_ready_ms", (await local.Ready)?.TotalMilliseconds.ToString("F0") ?? "never");
            Evidence.Record("answered_s_after_start", (DateTime.UtcNow - local.StartedAt).TotalSeconds.ToString("F1"));
        }
        var where = ours ? $"; {local!.Describe()}" : "";
        values.Should().NotBeEmpty($"{prometheus} must know job '{job}' (query up{{job=\"{job}\"}}){(ours ? $" within {LocalPrometheus.FirstScrapeBound.TotalSeconds:F0} s of its start" : "")}; its targets: {List(down.Select(t => t.ToString()))}{where}");
        values.Should().OnlyContain(v => v == "1", $"every '{job}' target must be up at {prometheus}; its targets: {List(down.Select(t => t.ToString()))}{where}");
    }

    [Check("OBS-010", "10.2, 15.2", Severity = Severity.High)]
    public async Task Health_endpoints_answer_within_the_budget()
    {
        string[] paths = [Settings.Paths.Liveness, Settings.Paths.Readiness, "/api/system/health/startup/", "/api/system/health/detailed/"];

        var answers = new List<ApiResponse>();
        foreach (var path in paths) answers.Add(await Api.GetMedianAsync(path, ct: Cancellation));

        Evidence.Record("ms", string.Join(", ", answers.Select(a => $"{a.Url.AbsolutePath}={a.Elapsed.TotalMilliseconds:F0}")));
        var failingOrSlow = answers.Where(a => a.Status != 200 || a.Elapsed > Settings.ResponseBudget).Select(a => a.Describe(80));
        failingOrSlow.Should().BeEmpty($"health endpoints must answer 200 within {Settings.ResponseBudget.TotalMilliseconds:F0} ms (GATE_RESPONSE_BUDGET_MS) so uptime monitors do not flap");
    }
}
