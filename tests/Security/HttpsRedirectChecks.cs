using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Settings;

namespace Gate.Security;

/// <summary>Checklist 3.1 "Redirect HTTP to HTTPS" and 15.6 "HTTPS working and enforced", hop by hop (Observatory redirection test).</summary>
public sealed class HttpsRedirectChecks(GateEnvironment environment, SecurityKit kit) : SecurityCheck(environment, kit)
{
    /// <summary>GATE_HTTP_URL, else port 80 of the site's host.</summary>
    private Uri PlainHttp => Input(SettingNames.HttpUrl) is { } configured
        ? new Uri(configured)
        : new UriBuilder(Settings.BaseUrl!) { Scheme = "http", Port = 80, Path = "/" }.Uri;

    [Check("TLS-013", "3.1, 15.6", Severity = Severity.Critical)]
    public async Task Plain_HTTP_answers_301_to_https_on_the_same_host_and_path()
    {
        var probe = new Uri(PlainHttp, "/gate/redirect-probe/?q=1");

        var first = await Http.GetAsync(probe, ct: Cancellation);

        first.Answered.Should().BeTrue($"the plain-HTTP listener must answer ({first.Describe()}; GATE_HTTP_URL)");
        first.Status.Should().Be(301, $"{probe} must answer a permanent redirect to https, found {first.Describe()}");
        var location = Uri.TryCreate(first.Header("Location"), UriKind.Absolute, out var l) ? l : null;
        Evidence.Record("location", first.Header("Location") ?? "(none)");
        location.Should().NotBeNull($"the 301 from {probe} must carry an absolute Location, found '{first.Header("Location")}'");
        location!.Scheme.Should().Be("https", $"{probe} must redirect to https, not to {location}");
        location.Host.Should().BeEquivalentTo(probe.Host, $"the first hop from {probe} must stay on the same host (HSTS is only pinned there), not go to {location.Host}");
        location.Port.Should().Be(Settings.BaseUrl!.Port, $"{probe} must redirect to the configured HTTPS port ({Settings.BaseUrl.Port}), not {location.Port}");
        location.PathAndQuery.Should().Be(probe.PathAndQuery, $"{probe} must keep the path and query in the redirect ($request_uri), found {location}");
    }

    [Check("TLS-014", "3.1, 15.6", Severity = Severity.High)]
    public async Task The_redirect_target_answers_over_https()
    {
        var first = await Http.GetAsync(new Uri(PlainHttp, "/"), ct: Cancellation);
        var target = Uri.TryCreate(first.Header("Location"), UriKind.Absolute, out var l) ? l : null;
        target.Should().NotBeNull($"{first.Describe()} must redirect (Location header)");

        var final = await Http.GetAsync(target!, ct: Cancellation);

        final.Answered.Should().BeTrue($"the redirect target {target} must answer over https with a trusted certificate ({final.TransportError})");
        final.Status.Should().BeInRange(200, 399, $"the redirect target {target} must serve the site, found {final.Describe()}");
    }
}
