using System.Text.Json;
using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Reporting;

namespace Gate.Smoke;

/// <summary>Checklist 10.2 / 15.2: liveness, readiness, full health and metrics, each within budget.</summary>
public sealed class HealthChecks(GateEnvironment environment) : GateCheck(environment)
{
    private static readonly string[] MetricsSections = ["cpu", "memory", "disk", "network", "database", "requests", "errors", "latency"];

    [Check("SMK-006", "10.2, 15.2", Severity = Severity.Critical)]
    public async Task Liveness_answers_200_within_budget()
    {
        var live = await Api.GetMedianAsync(Settings.Paths.Liveness, ct: Cancellation);

        live.Should().HaveStatus(200, "the process must report itself alive").And.AnswerWithin(Settings.ResponseBudget);
        Evidence.Record("liveness_ms", live.Elapsed.TotalMilliseconds.ToString("F0"));
    }

    [Check("SMK-007", "10.2, 15.2", Severity = Severity.Critical)]
    public async Task Readiness_answers_200_with_every_component_healthy()
    {
        var ready = await Api.GetMedianAsync(Settings.Paths.Readiness, ct: Cancellation);

        var unhealthy = ready.Json is { } json ? HealthReport.Unhealthy(json) : [];
        unhealthy.Should().BeEmpty($"every component behind {ready.Url} must be healthy (GATE_READINESS_PATH; THE_BOT routes readiness at /api/system/health/ready/)");
        ready.Should().HaveStatus(200, "the deployment must be ready to take traffic").And.AnswerWithin(Settings.ResponseBudget);
    }

    [Check("SMK-008", "10.2, 15.2", Severity = Severity.High)]
    public async Task Full_health_reports_all_components_ok()
    {
        var admin = await SessionAsync("admin");
        var health = await Api.GetMedianAsync(Settings.Paths.Health, admin.Token, ct: Cancellation);

        health.Should().HaveStatus(200, "the staff health report must answer").And.HaveJsonBody();
        HealthReport.Unhealthy(health.Json!.Value).Should().BeEmpty($"every component in {health.Url} must be ok");
        health.JsonString("status").Should().BeOneOf(["healthy", "ok"], $"the overall status at {health.Url} must be healthy");
        health.Should().AnswerWithin(Settings.ResponseBudget);
    }

    [Check("SMK-009", "15.2", Severity = Severity.Medium)]
    public async Task Metrics_return_data()
    {
        var admin = await SessionAsync("admin");
        var metrics = await Api.GetMedianAsync(Settings.Paths.Metrics, admin.Token, ct: Cancellation);

        metrics.Should().HaveStatus(200, "metrics must be available to staff").And.HaveJsonBody().And.AnswerWithin(Settings.ResponseBudget);
        var json = metrics.Json!.Value;
        var missing = MetricsSections.Where(s => json.ValueKind != JsonValueKind.Object || !json.TryGetProperty(s, out _)).ToList();
        missing.Should().BeEmpty($"{metrics.Url} must report every metrics section of the platform contract");
    }
}

/// <summary>Reads THE_BOT's health documents: every leaf component with a status that is not ok/healthy.</summary>
public static class HealthReport
{
    private static readonly string[] Good = ["ok", "healthy", "up", "pass"];

    public static IReadOnlyList<string> Unhealthy(JsonElement document)
    {
        var found = new List<string>();
        if (document.ValueKind == JsonValueKind.Object && document.TryGetProperty("components", out var components))
            Walk(components, "", found);
        else if (document.ValueKind == JsonValueKind.Object && document.TryGetProperty("status", out var status)
                 && !Good.Contains(status.GetString(), StringComparer.OrdinalIgnoreCase))
            found.Add($"status={status.GetString()}");
        return found;
    }

    private static void Walk(JsonElement node, string path, List<string> found)
    {
        if (node.ValueKind != JsonValueKind.Object) return;
        if (node.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String)
        {
            if (!Good.Contains(status.GetString(), StringComparer.OrdinalIgnoreCase))
            {
                var error = node.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? $" ({e.GetString()})" : "";
                found.Add($"{path.TrimStart('.')}={status.GetString()}{error}");
            }
            return;
        }
        foreach (var child in node.EnumerateObject()) Walk(child.Value, $"{path}.{child.Name}", found);
    }
}
