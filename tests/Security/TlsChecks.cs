using System.Security.Authentication;
using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Security;
using Gate.Fixtures.Settings;
using Xunit;

namespace Gate.Security;

/// <summary>Checklist 2 and 15.6 (and 13.3's nmap ssl-enum-ciphers): certificate, protocols, suites, grade.</summary>
public sealed class TlsChecks(GateEnvironment environment, SecurityKit kit) : SecurityCheck(environment, kit)
{
    private Uri Https
    {
        get
        {
            Require.That(Settings.BaseUrl!.Scheme == "https", $"GATE_BASE_URL {Settings.BaseUrl} is not https: there is no TLS endpoint to inspect");
            return Settings.BaseUrl!;
        }
    }

    private Task<TlsInspection> InspectAsync() => TlsInspection.OfAsync(Https, Settings.Timeout, Cancellation);

    private async Task<Gate.Fixtures.Security.TlsInspection> CertifiedAsync()
    {
        var tls = await InspectAsync();
        tls.Certificate.Should().NotBeNull($"{tls.Endpoint} must present a certificate (handshake: {tls.Best.Error})");
        return tls;
    }

    [Check("TLS-001", "2.1, 15.6", Severity = Severity.Critical)]
    public async Task Certificate_is_trusted_for_the_site()
    {
        var tls = await CertifiedAsync();

        var problem = tls.TrustProblem(Environment.Trust);

        Evidence.Record("subject", tls.Certificate!.Subject);
        Evidence.Record("issuer", tls.Certificate.Issuer);
        problem.Should().BeNull($"the certificate at {tls.Endpoint} must chain to a trusted root{(Settings.CaFile is null ? "" : $" or GATE_CA_FILE ({Settings.CaFile})")}, be in date and name the host");
    }

    [Check("TLS-002", "2.1, 2.2", Severity = Severity.Critical)]
    public async Task Certificate_is_within_its_validity_period()
    {
        var cert = (await CertifiedAsync()).Certificate!;

        var now = DateTime.Now;

        now.Should().BeOnOrAfter(cert.NotBefore, $"the certificate of {Https.Authority} is not valid before {cert.NotBefore:u}");
        now.Should().BeOnOrBefore(cert.NotAfter, $"the certificate of {Https.Authority} expired on {cert.NotAfter:u}; renew it (certbot renew)");
    }

    [Check("TLS-003", "2.2", Severity = Severity.High)]
    public async Task Certificate_has_enough_days_left()
    {
        var cert = (await CertifiedAsync()).Certificate!;
        int minimum = IntInput(SettingNames.TlsMinDays, 30), warning = IntInput(SettingNames.TlsWarnDays, 60);

        var daysLeft = (int)Math.Floor((cert.NotAfter - DateTime.Now).TotalDays);

        Evidence.Record("days_left", daysLeft);
        daysLeft.Should().BeGreaterThanOrEqualTo(minimum, $"the certificate of {Https.Authority} expires {cert.NotAfter:u} ({daysLeft} days left, GATE_TLS_MIN_DAYS={minimum}); auto-renewal is not working");
        if (daysLeft < warning) TestContext.Current.AddWarning($"TLS-003: the certificate of {Https.Authority} has {daysLeft} days left (warning below {warning}, GATE_TLS_WARN_DAYS)");
    }

    [Check("TLS-004", "2.1", Severity = Severity.Critical)]
    public async Task Certificate_names_every_configured_host()
    {
        var cert = (await CertifiedAsync()).Certificate!;

        var uncovered = Hostnames.Where(h => !cert.MatchesHostname(h)).ToList();

        Evidence.Record("hostnames", string.Join(",", Hostnames));
        uncovered.Should().BeEmpty($"the certificate at {Https.Authority} (subject {cert.Subject}) must cover every host name in GATE_HOSTNAMES/the site URLs");
    }

    [Check("TLS-005", "2.1, 2.3", Severity = Severity.High)]
    public async Task Certificate_key_is_RSA_2048_or_EC_256_or_stronger()
    {
        var cert = (await CertifiedAsync()).Certificate!;

        var (algorithm, bits) = TlsInspection.Key(cert);

        Evidence.Record("key", $"{algorithm} {bits}");
        algorithm.Should().BeOneOf(["RSA", "EC"], $"the certificate key at {Https.Authority} must be RSA or EC ({bits} bits found)");
        bits.Should().BeGreaterThanOrEqualTo(algorithm == "RSA" ? 2048 : 256, $"the {algorithm} certificate key at {Https.Authority} must be RSA ≥ 2048 or EC ≥ 256 bits (SSL Labs caps a weaker key at B)");
    }

    [Check("TLS-006", "2.1, 2.3", Severity = Severity.High)]
    public async Task Certificate_is_signed_with_SHA_256_or_stronger()
    {
        var cert = (await CertifiedAsync()).Certificate!;

        var signedBelowSha256 = TlsInspection.BelowSha256(cert);

        Evidence.Record("signature", TlsInspection.SignatureName(cert));
        signedBelowSha256.Should().BeFalse($"the certificate at {Https.Authority} is signed with {TlsInspection.SignatureName(cert)}; the checklist asks for SHA-256 or stronger (SHA-1/MD5 are untrusted: SSL Labs cap T)");
    }

    [Check("TLS-007", "2.3, 13.3, 15.6", Severity = Severity.Critical)]
    public async Task TLS_1_2_and_1_3_are_offered()
    {
        var tls = await InspectAsync();

        Evidence.Record("tls12_suite", tls.Tls12.CipherSuite);
        Evidence.Record("tls13_suite", tls.Tls13.CipherSuite);
        tls.Tls12.Succeeded.Should().BeTrue($"{tls.Endpoint} must accept TLS 1.2 (handshake: {tls.Tls12.Error})");
        tls.Tls13.Succeeded.Should().BeTrue($"{tls.Endpoint} must accept TLS 1.3 (handshake: {tls.Tls13.Error})");
    }

    [Check("TLS-008", "2.3, 13.3, 15.6", Severity = Severity.Critical)]
    public async Task SSLv3_TLS_1_0_and_1_1_are_refused_by_the_server()
    {
        var tls = await InspectAsync();

        Evidence.Record("legacy_probes", string.Join("; ", tls.Legacy));
        tls.AcceptedLegacy.Should().BeEmpty($"{tls.Endpoint} must refuse SSLv3, TLS 1.0 and TLS 1.1 (hand-built ClientHellos: {string.Join("; ", tls.Legacy)})");
        var inconclusiveProbes = tls.Legacy.Where(l => l.Verdict == HelloVerdict.Inconclusive);
        inconclusiveProbes.Should().BeEmpty($"every legacy probe of {tls.Endpoint} must get a definite answer");
    }

    [Check("TLS-009", "2.3, 13.3", Severity = Severity.High)]
    public async Task Only_forward_secret_suites_are_accepted()
    {
        var tls = await InspectAsync();

        Evidence.Record("static_rsa_probe", tls.NonForwardSecret);
        tls.NonForwardSecret.Verdict.Should().Be(HelloVerdict.Refused, $"{tls.Endpoint} must refuse suites without forward secrecy ({tls.NonForwardSecret}); use ECDHE suites only (SSL Labs cap B)");
        tls.Weak.Verdict.Should().Be(HelloVerdict.Refused, $"{tls.Endpoint} must refuse 3DES/RC4/DES/export/NULL suites ({tls.Weak})");
    }

    [Check("TLS-010", "3.1", Severity = Severity.Medium)]
    public async Task HTTP_2_is_negotiated_via_ALPN()
    {
        Require.That(!string.Equals(Input(SettingNames.TlsHttp2), "false", StringComparison.OrdinalIgnoreCase), "GATE_TLS_HTTP2=false: HTTP/2 not required");
        var tls = await InspectAsync();

        Evidence.Record("alpn", tls.Http2.Alpn ?? "(none)");
        tls.Http2.Alpn.Should().Be("h2", $"{tls.Endpoint} must pick h2 when the client offers h2,http/1.1 (checklist: listen 443 ssl http2); handshake: {tls.Http2.Error ?? "ok"}");
    }

    [Check("TLS-011", "2.3, 15.6", Severity = Severity.High)]
    public async Task SSL_Labs_style_grade_is_A_or_better()
    {
        var tls = await InspectAsync();
        var page = await Http.GetAsync(Site("/"), ct: Cancellation);
        var minimum = Input(SettingNames.TlsGrade) ?? "A";

        var grade = TlsGrader.Grade(tls.Facts(Environment.Trust, Hsts.Parse(page.Header("Strict-Transport-Security"))?.MaxAge));

        Evidence.Record("grade", grade);
        grade.Grade.Should().BeOneOf(TlsGrader.AtOrAbove(minimum), $"GATE_TLS_GRADE requires {minimum} or better at {tls.Endpoint}, which grades {grade}");
    }

    [Check("TLS-012", "2.3, 13.3", Severity = Severity.Medium, Required = false)]
    public async Task Deep_scan_with_testssl_finds_nothing_HIGH_or_CRITICAL()
    {
        var https = Https;
        var scan = Require.Value(Kit.DeepScan(Environment), "testssl.sh is not installed (apt-get install testssl.sh) and GATE_TESTSSL is not set");

        var (findings, log) = await scan.WaitAsync(Cancellation);

        Require.That(findings is not null, $"testssl.sh gave no result: {log}");
        var severe = TestSslScan.Failing(findings!).Select(f => $"{f.Id} {f.Severity}: {f.Finding}").ToList();
        Evidence.Record("findings", findings!.Count);
        severe.Should().BeEmpty($"testssl.sh against {https.Authority} must report no HIGH or CRITICAL finding and no legacy protocol offered");
    }
}
