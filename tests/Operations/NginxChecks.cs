using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Operations;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Settings;

namespace Gate.Operations;

/// <summary>Checklist 3.1 (and 2.3, 15.6): static analysis of the nginx configuration, then `nginx -t`.</summary>
public sealed class NginxChecks(GateEnvironment environment) : OperationsCheck(environment)
{
    private static readonly string[] ForwardingHeaders = ["host", "x-real-ip", "x-forwarded-for", "x-forwarded-proto"];
    private static readonly string[] SecurityHeaders = ["strict-transport-security", "x-frame-options", "x-content-type-options", "referrer-policy", "content-security-policy"];

    [Check("NGX-001", "3.1", Severity = Severity.High)]
    public void Port_443_serves_TLS_with_http2()
    {
        var nginx = Nginx;

        var servers = nginx.TlsServers;

        servers.Should().NotBeEmpty($"{nginx.Path} must have a server with `listen 443 ssl`");
        var withoutHttp2 = servers.Where(s => !HasHttp2(s)).Select(s => s.Where);
        withoutHttp2.Should().BeEmpty($"every TLS server in {nginx.Path} must enable HTTP/2 (`listen 443 ssl http2;` or `http2 on;`)");
    }

    [Check("NGX-002", "3.1, 2.3", Severity = Severity.Critical)]
    public void Ssl_protocols_exclude_TLSv1_and_TLSv1_1()
    {
        var nginx = Nginx;

        var weak = nginx.TlsServers.Select(s => (s, p: NginxConfig.Effective(s, "ssl_protocols")))
            .Where(x => x.p is null || x.p.Args.Any(a => a is "TLSv1" or "TLSv1.1" or "SSLv3" or "SSLv2"))
            .Select(x => $"{x.s.Where}: {(x.p is null ? "ssl_protocols not set in this file (nginx's default includes TLSv1 and TLSv1.1 before 1.23.4)" : x.p.ToString())}").ToList();
        weak.Should().BeEmpty($"{nginx.Path} must allow only TLSv1.2 and TLSv1.3:{List(weak)}");
    }

    [Check("NGX-003", "3.1", Severity = Severity.High)]
    public void The_API_location_forwards_host_and_client_headers()
    {
        var nginx = Nginx;

        var missing = nginx.TlsServers.SelectMany(ApiLocations).SelectMany(l => ForwardingHeaders.Where(h => !NginxConfig.ProxyHeaders(l).ContainsKey(h)).Select(h => $"{l.Where}: proxy_set_header {h}")).ToList();
        nginx.TlsServers.SelectMany(ApiLocations).Should().NotBeEmpty($"{nginx.Path} must proxy `location /api/` to the backend");
        missing.Should().BeEmpty($"Django needs the client's host, address and scheme (SECURE_PROXY_SSL_HEADER, throttles, audit IPs); {nginx.Path} lacks:{List(missing)}");
    }

    [Check("NGX-004", "3.1", Severity = Severity.High)]
    public void The_WebSocket_location_passes_Upgrade_and_Connection()
    {
        var nginx = Nginx;

        var ws = nginx.TlsServers.SelectMany(s => NginxConfig.Locations(s, "/ws/")).ToList();

        ws.Should().NotBeEmpty($"{nginx.Path} must proxy `location /ws/` to the backend");
        var problems = ws.SelectMany(l => WebSocketProblems(l)).ToList();
        problems.Should().BeEmpty($"WebSocket chat needs HTTP/1.1 and the Upgrade/Connection headers in {nginx.Path}:{List(problems)}");
    }

    [Check("NGX-005", "3.1, 11.1", Severity = Severity.High)]
    public void Port_80_redirects_to_https_with_301()
    {
        var nginx = Nginx;

        var plain = nginx.PlainHttpServers;

        plain.Should().NotBeEmpty($"{nginx.Path} must have a `listen 80` server that redirects to https");
        var wrong = plain.Select(s => (s, r: CatchAllReturn(s))).Where(x => x.r is null || x.r.Args[0] != "301" || !x.r.Args.ElementAtOrDefault(1)!.StartsWith("https://", StringComparison.Ordinal))
            .Select(x => $"{x.s.Where}: {(x.r is null ? "no `return 301 https://...` for /" : x.r.ToString())}").ToList();
        wrong.Should().BeEmpty($"plain HTTP must answer 301 to https://$host$request_uri in {nginx.Path}:{List(wrong)}");
    }

    [Check("NGX-006", "15.6", Severity = Severity.Low)]
    public void Server_tokens_are_off()
    {
        var nginx = Nginx;

        var leaking = nginx.Servers.Where(s => NginxConfig.Effective(s, "server_tokens")?.Args.FirstOrDefault() != "off").Select(s => $"{s.Where}: {NginxConfig.Effective(s, "server_tokens")?.ToString() ?? "not set (default on)"}").ToList();
        leaking.Should().BeEmpty($"nginx must not announce its version (server_tokens off;) in {nginx.Path}:{List(leaking)}");
    }

    [Check("NGX-007", "15.6, 3.1", Severity = Severity.High)]
    public void Security_headers_are_not_dropped_by_add_header_in_inner_blocks()
    {
        var nginx = Nginx;

        var dropped = nginx.TlsServers.SelectMany(s => NginxConfig.AllLocations(s).Select(l => (l, lost: LostHeaders(s, l))))
            .Where(x => x.lost.Count > 0).Select(x => $"{x.l.Where} declares its own add_header and so drops {string.Join(", ", x.lost)}").ToList();
        dropped.Should().BeEmpty($"nginx inherits add_header only into blocks that declare none (gixy: add_header_redefinition); repeat the security headers or use an include in {nginx.Path}:{List(dropped)}");
    }

    [Check("NGX-008", "15.6, 3.1", Severity = Severity.Critical)]
    public void Authenticated_API_responses_are_not_served_from_a_shared_cache()
    {
        var nginx = Nginx;

        var shared = nginx.TlsServers.SelectMany(s => NginxConfig.AllLocations(s)).Where(CachesApi).Where(l => !KeyedOnCredential(l))
            .Select(l => $"{l.Where}: proxy_cache {NginxConfig.Effective(l, "proxy_cache")!.Args[0]} keyed on {NginxConfig.Effective(l, "proxy_cache_key")?.Args.FirstOrDefault() ?? "$scheme$proxy_host$request_uri (default)"}").ToList();
        shared.Should().BeEmpty($"a cache keyed without the Authorization header or session cookie serves one user's API answers to another ({nginx.Path}):{List(shared)}");
    }

    [Check("NGX-009", "3.1", Severity = Severity.High)]
    public async Task Nginx_accepts_the_configuration()
    {
        var path = Input(SettingNames.NginxConfig, "no nginx config");

        var result = await NginxSyntaxCheck.RunAsync(path, TimeSpan.FromSeconds(20), Cancellation);

        Require.That(result.Ran, result.NotRunReason ?? "nginx -t did not run");
        Evidence.Record("rewrites", string.Join("; ", result.Rewrites));
        result.Passed.Should().BeTrue($"`nginx -t` must accept {path} (test copy with: {string.Join("; ", result.Rewrites)}); nginx said: {Redactor.Redact(result.Output)}");
    }

    private static IEnumerable<NginxDirective> ApiLocations(NginxDirective server) => NginxConfig.Locations(server, "/api/");

    private static bool HasHttp2(NginxDirective server) =>
        server.Children("listen").Where(NginxConfig.IsTlsListen).Any(l => l.Args.Contains("http2"))
        || NginxConfig.Effective(server, "http2")?.Args.FirstOrDefault() == "on";

    private static IEnumerable<string> WebSocketProblems(NginxDirective location)
    {
        var headers = NginxConfig.ProxyHeaders(location);
        if (NginxConfig.Effective(location, "proxy_http_version")?.Args.FirstOrDefault() != "1.1") yield return $"{location.Where}: proxy_http_version 1.1";
        if (headers.GetValueOrDefault("upgrade") != "$http_upgrade") yield return $"{location.Where}: proxy_set_header Upgrade $http_upgrade";
        if (!(headers.GetValueOrDefault("connection") ?? "").Contains("upgrade", StringComparison.OrdinalIgnoreCase)
            && headers.GetValueOrDefault("connection") != "$connection_upgrade") yield return $"{location.Where}: proxy_set_header Connection \"upgrade\"";
    }

    /// <summary>The return that answers "/" on a plain server: server-level, else in `location /`.</summary>
    private static NginxDirective? CatchAllReturn(NginxDirective server) =>
        server.Child("return") ?? NginxConfig.Locations(server, "/").Select(l => l.Child("return")).FirstOrDefault(r => r is not null)
        ?? (server.Child("rewrite") is { } rw && rw.Args.Any(a => a.StartsWith("https://", StringComparison.Ordinal)) && rw.Args.Contains("permanent")
            ? new NginxDirective { Name = "return", Args = ["301", "https://"], Line = rw.Line } : null);

    /// <summary>Security headers set for the server that this location no longer sends.</summary>
    private static IReadOnlyList<string> LostHeaders(NginxDirective server, NginxDirective location)
    {
        var atServer = NginxConfig.AddedHeaders(server).Where(h => SecurityHeaders.Contains(h)).ToHashSet();
        var atLocation = NginxConfig.AddedHeaders(location);
        return atServer.Where(h => !atLocation.Contains(h)).Order().ToList();
    }

    private static bool CachesApi(NginxDirective location) =>
        NginxConfig.Effective(location, "proxy_cache") is { } cache && cache.Args.FirstOrDefault() is { } zone && zone != "off"
        && location.Args.Count > 0 && (location.Args[^1].StartsWith("/api", StringComparison.Ordinal) || location.Args[^1] == "/");

    private static bool KeyedOnCredential(NginxDirective location)
    {
        var key = NginxConfig.Effective(location, "proxy_cache_key")?.Args.FirstOrDefault() ?? "";
        var bypass = string.Join(' ', NginxConfig.EffectiveArray(location, "proxy_no_cache").SelectMany(d => d.Args));
        return key.Contains("$http_authorization", StringComparison.Ordinal) || key.Contains("$cookie_", StringComparison.Ordinal)
            || bypass.Contains("$http_authorization", StringComparison.Ordinal);
    }
}
