using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Security;
using Gate.Fixtures.Settings;

namespace Gate.Security;

/// <summary>
/// Checklist 1.4 (ALLOWED_HOSTS), 1.5/13.4 (CORS enforcement) and 4.1 (DEBUG=False), checked live:
/// foreign Host headers, allowed and foreign origins (simple and preflight), error pages.
/// </summary>
public sealed class HostChecks(GateEnvironment environment, SecurityKit kit) : SecurityCheck(environment, kit)
{
    private const string ForeignHost = "evil.gate-probe.example";

    private Dictionary<string, string> Origin(string origin) => new() { ["Origin"] = origin };

    [Check("HST-001", "1.4, 15.6", Severity = Severity.High)]
    public async Task A_foreign_Host_header_gets_400()
    {
        var targets = new List<Uri> { Site("/"), ApiUrl("/api/system/health/live/") };
        if (Input(SettingNames.HttpUrl) is { } http) targets.Add(new Uri(new Uri(http), "/"));

        var answers = new List<ApiResponse>();
        foreach (var url in targets) answers.Add(await Http.GetAsync(url, headers: new Dictionary<string, string> { ["Host"] = ForeignHost }, ct: Cancellation));

        var redirectsToForeignHost = answers.Where(a => a.Header("Location")?.Contains(ForeignHost, StringComparison.OrdinalIgnoreCase) == true).Select(a => a.Describe());
        var notRefused = answers.Where(a => a.Status != 400).Select(a => $"{a.Url} with Host: {ForeignHost} → {a.Status}");
        redirectsToForeignHost.Should().BeEmpty($"no response may redirect to the foreign host {ForeignHost} (host header poisoning)");
        notRefused.Should().BeEmpty($"a Host outside ALLOWED_HOSTS must get 400 (Django DisallowedHost; nginx: a default server returning 444/400)");
    }

    [Check("HST-002", "1.5, 13.4", Severity = Severity.High)]
    public async Task The_allowed_origin_gets_exactly_its_origin_back()
    {
        var answer = await Http.GetAsync(ApiUrl("/api/system/health/live/"), headers: Origin(AllowedOrigin), ct: Cancellation);

        Evidence.Record("acao", answer.Header("Access-Control-Allow-Origin") ?? "(absent)");
        answer.Header("Access-Control-Allow-Origin").Should().Be(AllowedOrigin, $"{answer.Url} must grant the frontend origin {AllowedOrigin} exactly (GATE_CORS_ORIGIN), never '*'");
        answer.Header("Access-Control-Allow-Credentials").Should().Be("true", $"{answer.Url} must allow credentials for {AllowedOrigin} (CORS_ALLOW_CREDENTIALS)");
    }

    [Check("HST-003", "1.5, 13.4", Severity = Severity.Critical)]
    public async Task A_foreign_origin_gets_no_CORS_grant()
    {
        var simple = await Http.GetAsync(ApiUrl("/api/auth/me/"), headers: Origin(ForeignOrigin), ct: Cancellation);
        var withNull = await Http.GetAsync(ApiUrl("/api/auth/me/"), headers: Origin("null"), ct: Cancellation);

        foreach (var answer in new[] { simple, withNull })
        {
            answer.Answered.Should().BeTrue($"{answer.Url} must answer the CORS probe ({answer.TransportError})");
            answer.Header("Access-Control-Allow-Origin").Should().BeNull($"{answer.Url} must not grant CORS to a foreign origin, found Access-Control-Allow-Origin: {answer.Header("Access-Control-Allow-Origin")}");
        }
    }

    [Check("HST-004", "1.5, 13.4", Severity = Severity.Critical)]
    public async Task Credentials_are_never_combined_with_a_wildcard_or_a_reflected_origin()
    {
        var answers = new List<ApiResponse>();
        foreach (var path in new[] { "/api/auth/me/", "/api/materials/materials/", "/api/system/health/live/" })
            answers.Add(await Http.GetAsync(ApiUrl(path), headers: Origin(ForeignOrigin), ct: Cancellation));

        var unanswered = answers.Where(a => !a.Answered).Select(a => a.Describe());
        unanswered.Should().BeEmpty("every CORS probe must get an answer");
        var credentialedForAnyOrigin = answers.Where(a => a.Header("Access-Control-Allow-Credentials") == "true" && a.Header("Access-Control-Allow-Origin") is "*" or ForeignOrigin)
            .Select(a => $"{a.Url}: ACAO={a.Header("Access-Control-Allow-Origin")}, ACAC=true");
        credentialedForAnyOrigin.Should().BeEmpty("credentialed CORS for any origin lets every site read signed-in users' data (Observatory -50)");
    }

    [Check("HST-005", "1.5, 13.4", Severity = Severity.High)]
    public async Task Preflight_is_answered_for_the_allowed_origin_only()
    {
        var request = new Dictionary<string, string> { ["Access-Control-Request-Method"] = "POST", ["Access-Control-Request-Headers"] = "authorization, content-type" };
        var allowed = await Http.SendAsync(HttpMethod.Options, ApiUrl("/api/materials/materials/"), null, null, null, new Dictionary<string, string>(request) { ["Origin"] = AllowedOrigin }, Cancellation);
        var foreign = await Http.SendAsync(HttpMethod.Options, ApiUrl("/api/materials/materials/"), null, null, null, new Dictionary<string, string>(request) { ["Origin"] = ForeignOrigin }, Cancellation);

        allowed.Status.Should().BeInRange(200, 204, $"the preflight from {AllowedOrigin} must succeed: {allowed.Describe()}");
        allowed.Header("Access-Control-Allow-Origin").Should().Be(AllowedOrigin, $"the preflight answer at {allowed.Url} must name {AllowedOrigin}");
        (allowed.Header("Access-Control-Allow-Methods") ?? "").Should().ContainEquivalentOf("POST", $"the preflight at {allowed.Url} must allow the requested method");
        (allowed.Header("Access-Control-Allow-Headers") ?? "").Should().ContainEquivalentOf("authorization", $"the preflight at {allowed.Url} must allow the Authorization header");
        foreign.Header("Access-Control-Allow-Origin").Should().BeNull($"the preflight from {ForeignOrigin} at {foreign.Url} must not be granted, found {foreign.Header("Access-Control-Allow-Origin")}");
    }

    [Check("HST-006", "4.1, 15.6", Severity = Severity.Critical)]
    public async Task An_unknown_URL_shows_no_debug_information()
    {
        var pages = new[]
        {
            await Http.GetAsync(Site("/gate-probe-unknown-page/"), ct: Cancellation),
            await Http.GetAsync(ApiUrl("/api/gate-probe-unknown/"), ct: Cancellation),
        };

        foreach (var page in pages)
        {
            page.Status.Should().Be(404, $"{page.Url} must answer 404");
            LeakScanner.Find(page.Body).Should().BeEmpty($"the 404 page at {page.Url} must not show debug details (DEBUG=True? Django W018)");
        }
    }

    [Check("HST-007", "4.1, 13.3, 15.6", Severity = Severity.Critical)]
    public async Task A_forced_error_shows_no_traceback_settings_SQL_or_paths()
    {
        var teacher = await SessionAsync("teacher");
        var pages = new[]
        {
            await Http.GetAsync(ApiUrl("/api/test-sentry-error/"), ct: Cancellation),
            await Http.GetAsync(ApiUrl("/api/materials/materials/?search=%27%22%5C"), teacher.Token, ct: Cancellation),
            await Http.PostJsonAsync(ApiUrl("/api/auth/login/"), "{\"email\": [1, {\"$gt\": \"\"}], \"password\": null", ct: Cancellation),
            await Http.GetAsync(ApiUrl("/api/materials/materials/?page=%00%ff"), teacher.Token, ct: Cancellation),
        };

        foreach (var page in pages)
            LeakScanner.Find(page.Body).Should().BeEmpty($"the error response of {page.Method} {page.Url} ({page.Status}) must be generic, without traceback, settings, SQL or file paths");
    }
}
