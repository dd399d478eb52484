using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Security;
using Gate.Fixtures.Settings;

namespace Gate.Security;

/// <summary>
/// Checklist 15.6 "Security headers present" (Django check --deploy W004-W022/E023/E024, the HTTP
/// Observatory, OWASP Secure Headers): probed on several paths, because nginx drops inherited
/// add_header directives in any block that adds its own.
/// </summary>
public sealed class HeaderChecks(GateEnvironment environment, SecurityKit kit) : SecurityCheck(environment, kit)
{
    /// <summary>Frontend page, sign-in page, public API, protected API (401), unknown page and unknown API path (404).</summary>
    public static readonly string[] ProbedPaths = ["/", "/auth/signin", "/api/system/health/live/", "/api/auth/me/", "/gate-probe-unknown-page", "/api/gate-probe-unknown/"];

    private async Task<IReadOnlyList<ApiResponse>> ProbeAllAsync()
    {
        var responses = new List<ApiResponse>();
        foreach (var path in ProbedPaths) responses.Add(await Http.GetAsync(Site(path), ct: Cancellation));
        var unanswered = responses.Where(r => !r.Answered).Select(r => r.Describe());
        unanswered.Should().BeEmpty("every probed path must answer");
        return responses;
    }

    /// <summary>"path: value" for every probed response where <paramref name="bad"/> holds.</summary>
    private static List<string> Where(IEnumerable<ApiResponse> responses, string header, Func<string?, bool> bad) =>
        responses.Where(r => bad(r.Header(header))).Select(r => $"{r.Url.PathAndQuery} ({r.Status}): {header}={r.Header(header) ?? "(absent)"}").ToList();

    [Check("HDR-001", "15.6, 3.1", Severity = Severity.High)]
    public async Task HSTS_max_age_is_at_least_a_year_with_includeSubDomains_and_preload()
    {
        var responses = await ProbeAllAsync();

        var weak = Where(responses, "Strict-Transport-Security", h => Hsts.Parse(h) is not { MaxAge: >= 31_536_000, IncludeSubDomains: true, Preload: true });

        Evidence.Record("hsts", responses[0].Header("Strict-Transport-Security") ?? "(absent)");
        weak.Should().BeEmpty("every HTTPS response must carry Strict-Transport-Security: max-age=31536000 (or more); includeSubDomains; preload (Django W004/W005/W021)");
    }

    [Check("HDR-002", "15.6", Severity = Severity.Medium)]
    public async Task X_Content_Type_Options_is_nosniff()
    {
        var responses = await ProbeAllAsync();

        var withoutNosniff = Where(responses, "X-Content-Type-Options", h => !string.Equals(h?.Trim(), "nosniff", StringComparison.OrdinalIgnoreCase));
        withoutNosniff.Should().BeEmpty("every response must carry X-Content-Type-Options: nosniff (Django W006)");
    }

    [Check("HDR-003", "15.6", Severity = Severity.High)]
    public async Task Framing_is_denied_by_X_Frame_Options_or_CSP_frame_ancestors()
    {
        var responses = await ProbeAllAsync();

        var framable = responses.Where(r => r.Header("X-Frame-Options")?.Trim().ToUpperInvariant() != "DENY"
                                            && ContentSecurityPolicy.Parse(r.Header("Content-Security-Policy"))?.Get("frame-ancestors") is not ["'none'"])
            .Select(r => $"{r.Url.PathAndQuery}: X-Frame-Options={r.Header("X-Frame-Options") ?? "(absent)"}, frame-ancestors={ContentSecurityPolicy.Parse(r.Header("Content-Security-Policy"))?.Get("frame-ancestors")?.FirstOrDefault() ?? "(absent)"}");
        framable.Should().BeEmpty("every response must forbid framing: X-Frame-Options: DENY (Django W019) or CSP frame-ancestors 'none'");
    }

    [Check("HDR-004", "15.6", Severity = Severity.Medium)]
    public async Task Referrer_Policy_is_set_to_a_recognised_value()
    {
        var responses = await ProbeAllAsync();

        var withoutPolicy = Where(responses, "Referrer-Policy", h => h is null || h.Split(',').Select(v => v.Trim().ToLowerInvariant()).Any(v => !SecureHeaders.ReferrerPolicies.Contains(v)) || h.Contains("unsafe-url", StringComparison.OrdinalIgnoreCase));
        withoutPolicy.Should().BeEmpty($"every response must carry a Referrer-Policy Django recognises, not unsafe-url (W022/E023; contract: same-origin)");
    }

    [Check("HDR-005", "15.6", Severity = Severity.High)]
    public async Task Content_Security_Policy_is_present_and_forbids_unsafe_eval()
    {
        var page = await Http.GetAsync(Site("/"), ct: Cancellation);

        var csp = ContentSecurityPolicy.Parse(page.Header("Content-Security-Policy"));

        Evidence.Record("csp", page.Header("Content-Security-Policy") ?? "(absent)");
        csp.Should().NotBeNull($"the frontend at {page.Url} must send a parsable Content-Security-Policy (Observatory -25 without one)");
        csp!.UnsafeEval.Should().BeEmpty($"the CSP at {page.Url} must not allow 'unsafe-eval' ({csp.Raw})");
        csp.UnsafeScriptSources.Should().BeEmpty($"the CSP at {page.Url} must not allow unsafe script sources ({csp.Raw})");
    }

    [Check("HDR-006", "15.6", Severity = Severity.Medium)]
    public async Task Cross_Origin_Opener_Policy_is_same_origin()
    {
        var page = await Http.GetAsync(Site("/"), ct: Cancellation);

        var coop = page.Header("Cross-Origin-Opener-Policy")?.Trim().ToLowerInvariant();

        coop.Should().BeOneOf(["same-origin", "same-origin-allow-popups"], $"{page.Url} must send Cross-Origin-Opener-Policy same-origin (Django E024; contract §7)");
    }

    [Check("HDR-007", "15.6", Severity = Severity.Medium)]
    public async Task No_server_version_banner_or_X_Powered_By()
    {
        var responses = await ProbeAllAsync();

        var leaks = responses.SelectMany(r => SecureHeaders.Remove.Where(h => r.Header(h) is not null).Select(h => $"{r.Url.PathAndQuery}: {h}: {r.Header(h)}")
            .Concat(SecureHeaders.ServerBannerLeaks(r.Header("Server")) ? [$"{r.Url.PathAndQuery}: Server: {r.Header("Server")}"] : [])).Distinct().ToList();

        leaks.Should().BeEmpty("responses must not reveal software versions (OWASP Secure Headers remove list: Server version, X-Powered-By ...); set server_tokens off");
    }

    [Check("HDR-008", "15.6", Severity = Severity.High)]
    public async Task Session_cookie_is_Secure_HttpOnly_and_SameSite()
    {
        var login = await FreshLoginAsync("cookies");

        var session = login.Cookies.FirstOrDefault(c => c.Name == "sessionid");

        Evidence.Record("cookies", string.Join("; ", login.Cookies.Select(c => c.Describe())));
        session.Should().NotBeNull($"sign-in at {login.Response.Url} must set the sessionid cookie");
        session!.Secure.Should().BeTrue($"{session.Describe()} from {login.Response.Url} must be Secure (Django W010-W012)");
        session.HttpOnly.Should().BeTrue($"{session.Describe()} from {login.Response.Url} must be HttpOnly (Django W013-W015)");
        session.SameSiteValid.Should().BeTrue($"{session.Describe()} from {login.Response.Url} must set SameSite Lax or Strict");
    }

    [Check("HDR-009", "15.6", Severity = Severity.High)]
    public async Task CSRF_cookie_is_Secure_and_SameSite()
    {
        var login = await FreshLoginAsync("cookies");

        var csrf = login.Cookies.FirstOrDefault(c => c.Name == "csrftoken");

        csrf.Should().NotBeNull($"sign-in at {login.Response.Url} must set the csrftoken cookie");
        csrf!.Secure.Should().BeTrue($"{csrf.Describe()} from {login.Response.Url} must be Secure (Django W016)");
        csrf.SameSiteValid.Should().BeTrue($"{csrf.Describe()} from {login.Response.Url} must set SameSite Lax or Strict");
    }

    [Check("HDR-010", "15.6", Severity = Severity.Medium)]
    public async Task Observatory_style_header_score_is_A_or_better()
    {
        var page = await Http.GetAsync(Site("/"), ct: Cancellation);
        var login = await FreshLoginAsync("cookies");
        var foreign = await Http.GetAsync(ApiUrl("/api/auth/me/"), headers: new Dictionary<string, string> { ["Origin"] = ForeignOrigin }, ct: Cancellation);

        var result = Observatory.Score(new Observatory.Inputs
        {
            Page = page,
            Cookies = login.Cookies,
            CredentialedCorsForAnyOrigin = foreign.Header("Access-Control-Allow-Origin") is "*" or ForeignOrigin && foreign.Header("Access-Control-Allow-Credentials") == "true",
        });

        Evidence.Record("observatory", result);
        result.Score.Should().BeGreaterThanOrEqualTo(90, $"the HTTP Observatory-style score of {page.Url} must be A or better, found {result}");
    }
}
