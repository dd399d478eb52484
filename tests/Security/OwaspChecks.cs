using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Security;
using Xunit;

namespace Gate.Security;

/// <summary>
/// Checklist 13.3 "OWASP Top 10 validation": SQL injection, XSS, CSRF, authentication and
/// authorization (bypass, role matrix, IDOR, cache), payment webhooks and uploads. Active probes in
/// the spirit of ZAP's active scan, aimed at THE_BOT's own parameters.
/// </summary>
public sealed class OwaspChecks(GateEnvironment environment, SecurityKit kit) : SecurityCheck(environment, kit)
{
    /// <summary>Where user input reaches a query: search, filters, object ids, the login name.</summary>
    private static readonly (string Name, string Path)[] QueryParameters =
    [
        ("search", "/api/materials/materials/?search={0}"),
        ("subject filter", "/api/materials/materials/?subject={0}"),
        ("type filter", "/api/materials/materials/?type={0}"),
        ("status filter", "/api/materials/materials/?status={0}"),
        ("user search", "/api/admin/users/?search={0}"),
        ("assignment filter", "/api/assignments/submissions/?assignment={0}"),
        ("page number", "/api/materials/materials/?page={0}"),
    ];

    private static readonly string[] ErrorPayloads = ["'", "1'\"", "1) OR (1=1", "1;SELECT pg_sleep(0)--", "' UNION SELECT NULL--"];

    [Check("OWA-001", "13.3", Severity = Severity.Critical)]
    public async Task SQL_injection_error_based_probes_cause_no_database_errors()
    {
        var admin = await SessionAsync("admin");
        var teacher = await SessionAsync("teacher");
        var findings = new List<string>();

        foreach (var (name, path) in QueryParameters)
            foreach (var payload in ErrorPayloads)
            {
                var answer = await Http.GetAsync(ApiUrl(string.Format(path, Uri.EscapeDataString(payload))), name == "user search" ? admin.Token : teacher.Token, ct: Cancellation);
                if (answer.Status >= 500 || LeakScanner.Find(answer.Body).Any(f => f.StartsWith("SQL", StringComparison.Ordinal)))
                    findings.Add($"{name}: {answer.Describe(160)}");
            }
        foreach (var payload in ErrorPayloads)
        {
            var login = await Http.PostJsonAsync(ApiUrl("/api/auth/login/"), JsonSerializer.Serialize(new { email = $"gate{payload}@gate.test", password = "x" }), ct: Cancellation);
            if (login.Status >= 500 || LeakScanner.Find(login.Body).Any(f => f.StartsWith("SQL", StringComparison.Ordinal))) findings.Add($"login: {login.Describe(160)}");
        }

        findings.Should().BeEmpty("quotes and SQL fragments in parameters must be bound, never pasted into SQL (a 5xx or a database error means injectable)");
    }

    [Check("OWA-002", "13.3", Severity = Severity.Critical)]
    public async Task SQL_injection_boolean_based_probes_do_not_change_results()
    {
        var teacher = await SessionAsync("teacher");
        var marker = $"gq{RandomNumberGenerator.GetHexString(8, true)}";

        async Task<string> Count(string term) =>
            (await Http.GetAsync(ApiUrl($"/api/materials/materials/?search={Uri.EscapeDataString(term)}"), teacher.Token, ct: Cancellation)).JsonString("count") ?? "(no count)";

        var baseline = await Count(marker);
        var alwaysTrue = await Count($"{marker}%' OR 'x' LIKE 'x");
        var alwaysFalse = await Count($"{marker}%' OR 'x' LIKE 'y");

        Evidence.Record("counts", $"baseline={baseline} true={alwaysTrue} false={alwaysFalse}");
        alwaysTrue.Should().Be(alwaysFalse, $"an always-true and an always-false condition appended to ?search= on {Settings.ApiUrl}api/materials/materials/ must return the same count (baseline {baseline}); different counts mean the term reaches SQL unbound");
        alwaysTrue.Should().Be(baseline, $"a search term with SQL syntax must be matched literally like the baseline ({baseline})");
    }

    [Check("OWA-003", "13.3", Severity = Severity.Critical)]
    public async Task Reflected_XSS_payloads_are_never_echoed_unescaped()
    {
        var marker = $"gx{RandomNumberGenerator.GetHexString(8, true)}";
        var payload = $"<script>{marker}</script>\"'><img src=x onerror={marker}>";
        var e = Uri.EscapeDataString(payload);
        var teacher = await SessionAsync("teacher");
        var pages = new List<ApiResponse>();
        foreach (var path in new[] { $"/materials?search={e}", $"/?q={e}", $"/search?q={e}", $"/auth/signin?next={e}", $"/auth/signin?error={e}", $"/gate-{e}", $"/application?ref={e}" })
            pages.Add(await Http.GetAsync(Site(path), teacher.Token, ct: Cancellation));
        pages.Add(await Http.GetAsync(ApiUrl($"/api/materials/materials/?search={e}"), teacher.Token, ct: Cancellation));

        var reflected = pages.Where(p => p.Body.Contains($"<script>{marker}", StringComparison.OrdinalIgnoreCase) || p.Body.Contains($"<img src=x onerror={marker}", StringComparison.OrdinalIgnoreCase))
            .Where(p => (p.Header("Content-Type") ?? "text/html").Contains("html", StringComparison.OrdinalIgnoreCase))
            .Select(p => $"{p.Url.GetLeftPart(UriPartial.Path)} ({p.Status}, {p.Header("Content-Type")})").ToList();

        reflected.Should().BeEmpty("input echoed into an HTML page must be HTML-escaped (reflected XSS)");
    }

    [Check("OWA-004", "13.3", Severity = Severity.Critical)]
    public async Task Stored_XSS_a_created_record_is_rendered_escaped()
    {
        RequireWrites("the stored-XSS probe");
        var teacher = await SessionAsync("teacher");
        var marker = $"gs{RandomNumberGenerator.GetHexString(8, true)}";
        var title = $"{Settings.RunId} <img src=x onerror={marker}>";
        var created = await Http.PostJsonAsync(ApiUrl("/api/materials/materials/"), JsonSerializer.Serialize(new { title, content = $"<script>{marker}</script> stored XSS probe", subject = 1, status = "active", is_public = true }), teacher.Token, ct: Cancellation);
        created.Status.Should().Be(201, $"the probe material must be created: {created.Describe()}");
        var id = created.JsonString("id");
        try
        {
            var pages = new List<ApiResponse>();
            foreach (var path in new[] { $"/materials/{id}", "/materials" })
                pages.Add(await Http.GetAsync(Site(path), teacher.Token, ct: Cancellation));

            var rendered = pages.Where(p => p.Status == 200 && p.Body.Contains(marker, StringComparison.Ordinal)).ToList();
            Evidence.Record("pages_showing_the_record", string.Join(", ", rendered.Select(p => p.Url.AbsolutePath)));
            rendered.Where(p => p.Body.Contains($"onerror={marker}>", StringComparison.Ordinal) || p.Body.Contains($"<script>{marker}", StringComparison.Ordinal))
                .Select(p => p.Url.AbsolutePath).Should().BeEmpty($"material {id}'s title and content must be HTML-escaped where the frontend renders them (stored XSS)");
            rendered.Should().NotBeEmpty($"the frontend must render material {id} at /materials/{id} or /materials: nothing to judge otherwise");
        }
        finally
        {
            await Http.SendAsync(HttpMethod.Delete, ApiUrl($"/api/materials/materials/{id}/"), teacher.Token, null, null, null, CancellationToken.None);
        }
    }

    [Check("OWA-005", "13.3", Severity = Severity.Critical)]
    public async Task CSRF_a_cookie_authenticated_unsafe_request_without_token_is_refused()
    {
        var login = await FreshLoginAsync("csrf");
        var csrf = login.CookieValue("csrftoken");
        var cookies = new Dictionary<string, string> { ["Cookie"] = login.CookieHeader, ["Origin"] = Settings.BaseUrl!.GetLeftPart(UriPartial.Authority) };

        var withoutToken = await Http.PostJsonAsync(ApiUrl("/api/chat/"), "{}", headers: cookies, ct: Cancellation);
        var withToken = await Http.PostJsonAsync(ApiUrl("/api/chat/"), "{}", headers: new Dictionary<string, string>(cookies) { ["X-CSRFToken"] = csrf ?? "" }, ct: Cancellation);

        withToken.Status.Should().NotBe(401, $"the session cookie from sign-in must authenticate {withToken.Url} (control request: {withToken.Describe()})");
        withoutToken.Status.Should().Be(403, $"a cookie-authenticated POST to {withoutToken.Url} without X-CSRFToken must be refused, found {withoutToken.Describe()}");
        withToken.Status.Should().NotBe(403, $"the same POST with the CSRF token must pass the CSRF check (control), found {withToken.Describe()}");
    }

    public static readonly string[] ProtectedEndpoints =
    [
        "/api/auth/me/", "/api/materials/materials/", "/api/materials/subjects/", "/api/assignments/", "/api/assignments/submissions/", "/api/chat/",
        "/api/chat/contacts/", "/api/reports/reports/", "/api/payments/payments/", "/api/dashboard/student/", "/api/teacher/dashboard/",
        "/api/dashboard/tutor/", "/api/parent/children/", "/api/system/health/", "/api/system/metrics/", "/api/admin/users/", "/api/system/health-check/",
        "/media/materials/gate-probe.pdf",
    ];

    [Check("OWA-006", "13.3, 13.4", Severity = Severity.Critical)]
    public async Task Every_protected_endpoint_refuses_a_missing_or_tampered_token()
    {
        var student = await SessionAsync("student");
        var tampered = student.Token[..^4] + new string(student.Token[^4..].Select(c => c == 'a' ? 'b' : 'a').ToArray());
        var failures = new List<string>();

        foreach (var path in ProtectedEndpoints)
        {
            var anonymous = await Http.GetAsync(ApiUrl(path), ct: Cancellation);
            var forged = await Http.GetAsync(ApiUrl(path), tampered, ct: Cancellation);
            var bearer = await Http.GetAsync(ApiUrl(path), headers: new Dictionary<string, string> { ["Authorization"] = $"Bearer {student.Token}" }, ct: Cancellation);
            if (anonymous.Status != 401) failures.Add($"no token: {anonymous.Describe(80)}");
            if (forged.Status != 401) failures.Add($"tampered token: {forged.Describe(80)}");
            if (bearer.Status != 401) failures.Add($"'Bearer' prefix: {bearer.Describe(80)}");
        }

        failures.Should().BeEmpty("every protected endpoint must answer 401 without a valid 'Token <key>' header (contract §2)");
    }

    /// <summary>Workflow endpoints and the roles allowed to use them (contract §3-4). Allowed: anything but 401/403; others: 403.</summary>
    public static readonly (string Method, string Path, string[] Allowed)[] Workflows =
    [
        ("POST", "/api/materials/materials/", ["teacher", "tutor"]),
        ("POST", "/api/assignments/", ["teacher", "tutor"]),
        ("GET", "/api/teacher/submissions/pending/", ["teacher", "tutor"]),
        ("GET", "/api/dashboard/student/", ["student"]),
        ("GET", "/api/teacher/dashboard/", ["teacher"]),
        ("GET", "/api/dashboard/tutor/", ["tutor"]),
        ("GET", "/api/parent/children/", ["parent"]),
        ("POST", "/api/payments/initiate/", ["parent"]),
        ("GET", "/api/system/health/", ["admin"]),
        ("GET", "/api/admin/users/", ["admin"]),
    ];

    public static TheoryData<string, string, string> RoleMatrix()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (method, path, _) in Workflows)
            foreach (var role in new[] { "student", "teacher", "tutor", "parent", "admin" })
                data.Add(role, method, path);
        return data;
    }

    [CheckTheory("OWA-007", "13.3, 13.4", Severity = Severity.Critical)]
    [MemberData(nameof(RoleMatrix))]
    public async Task Role_matrix_matches_the_contract(string role, string method, string path)
    {
        var session = await SessionAsync(role);
        var allowed = Workflows.Single(w => w.Method == method && w.Path == path).Allowed.Contains(role);

        var answer = method == "GET"
            ? await Http.GetAsync(ApiUrl(path), session.Token, ct: Cancellation)
            : await Http.PostJsonAsync(ApiUrl(path), "{}", session.Token, ct: Cancellation);

        if (allowed) answer.Status.Should().NotBe(403, $"{role} may use {method} {path}, found {answer.Describe(120)}").And.NotBe(401, $"{role}'s token must be accepted at {path}");
        else answer.Status.Should().Be(403, $"{role} must be refused {method} {path} (allowed: {string.Join(", ", Workflows.Single(w => w.Path == path && w.Method == method).Allowed)}), found {answer.Describe(120)}");
    }

    [Check("OWA-008", "13.3", Severity = Severity.Critical)]
    public async Task A_user_cannot_read_another_users_private_data()
    {
        var owner = await SessionAsync("student");
        var other = await SessionAsync("student2");
        var leaks = new List<string>();

        foreach (var (list, detail) in new[] { ("/api/materials/materials/", "/api/materials/materials/{0}/"), ("/api/assignments/submissions/", "/api/assignments/submissions/{0}/"), ("/api/payments/payments/", "/api/payments/payments/{0}/") })
        {
            var mine = Ids(await Http.GetAsync(ApiUrl(list), owner.Token, ct: Cancellation));
            var theirs = Ids(await Http.GetAsync(ApiUrl(list), other.Token, ct: Cancellation));
            foreach (var id in mine.Except(theirs).Take(3))
            {
                var answer = await Http.GetAsync(ApiUrl(string.Format(detail, id)), other.Token, ct: Cancellation);
                if (answer.Status is >= 200 and < 300) leaks.Add($"student2 read {answer.Url.AbsolutePath} → {answer.Status}");
            }
            leaks.AddRange(theirs.Intersect(mine).Where(_ => list.Contains("payments", StringComparison.Ordinal)).Select(id => $"student2's payment list shows student's payment {id}"));
        }

        Evidence.Record("checked", "materials, assignment submissions, payments");
        leaks.Should().BeEmpty("objects visible only to student@ must be 404/403 for student2@ (object-level permissions, IDOR)");
    }

    private static IReadOnlyList<string> Ids(ApiResponse page) =>
        page.Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array
            ? results.EnumerateArray().Where(r => r.TryGetProperty("id", out _)).Select(r => r.GetProperty("id").ToString()).ToList()
            : [];

    [Check("OWA-009", "13.3", Severity = Severity.Critical)]
    public async Task An_authenticated_response_is_never_served_to_another_user()
    {
        var first = await SessionAsync("teacher");
        var second = await SessionAsync("student");
        var failures = new List<string>();

        foreach (var (session, round) in new[] { (first, 1), (second, 1), (first, 2), (second, 2) })
        {
            var me = await Http.GetAsync(ApiUrl("/api/auth/me/"), session.Token, ct: Cancellation);
            if (me.JsonString("id") != session.UserId.ToString()) failures.Add($"{session.Role} (id {session.UserId}) got user {me.JsonString("id")}'s /api/auth/me/ (round {round}, X-Cache={me.Header("X-Cache") ?? "-"})");
            var cacheControl = me.Header("Cache-Control") ?? "";
            if (!cacheControl.Contains("private", StringComparison.OrdinalIgnoreCase) && !cacheControl.Contains("no-store", StringComparison.OrdinalIgnoreCase))
                failures.Add($"{me.Url} for {session.Role} is cacheable by shared caches (Cache-Control: {(cacheControl.Length == 0 ? "absent" : cacheControl)})");
        }

        failures.Distinct().Should().BeEmpty("per-user responses must be private (Cache-Control private/no-store, Vary: Authorization) and never served from a shared cache to another user");
    }

    [Check("OWA-010", "13.3, 15.3", Severity = Severity.Critical)]
    public async Task Payment_webhooks_without_a_valid_signature_are_refused()
    {
        var body = JsonSerializer.Serialize(new { type = "notification", @event = "payment.succeeded", @object = new { id = $"{Settings.RunId}-0000", status = "succeeded", metadata = new { payment_id = Guid.NewGuid().ToString() } } });
        var wrong = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("not-the-shop-secret"), Encoding.UTF8.GetBytes(body)));

        var unsigned = await Http.PostJsonAsync(ApiUrl("/api/payments/yookassa-webhook/"), body, ct: Cancellation);
        var forged = await Http.PostJsonAsync(ApiUrl("/api/payments/yookassa-webhook/"), body, headers: new Dictionary<string, string> { ["X-Yookassa-Webhook-Signature"] = wrong }, ct: Cancellation);

        unsigned.Status.Should().BeOneOf([401, 403], $"a webhook without X-Yookassa-Webhook-Signature must be refused before it is processed, found {unsigned.Describe()}");
        forged.Status.Should().BeOneOf([401, 403], $"a webhook with a wrong HMAC signature must be refused, found {forged.Describe()}");
    }

    [Check("OWA-011", "13.3, 15.3", Severity = Severity.High)]
    public async Task Uploads_outside_the_allowed_types_and_size_are_refused()
    {
        RequireWrites("the upload probe");
        var teacher = await SessionAsync("teacher");
        var accepted = new List<string>();

        foreach (var (name, bytes) in new[] { ("gate-probe.html", Encoding.UTF8.GetBytes("<script>alert(1)</script>")), ("gate-probe.php", Encoding.UTF8.GetBytes("<?php echo 1; ?>")), ("gate-probe.pdf", new byte[50 * 1024 * 1024 + 1]) })
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent($"{Settings.RunId} upload probe"), "title" },
                { new StringContent("Upload probe of the deployment gate."), "content" },
                { new StringContent("1"), "subject" },
            };
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue(name.EndsWith(".pdf", StringComparison.Ordinal) ? "application/pdf" : "text/html");
            form.Add(file, "file", name);
            var answer = await Http.SendAsync(HttpMethod.Post, ApiUrl("/api/materials/materials/"), teacher.Token, form, null, null, Cancellation);
            if (answer.Status is >= 200 and < 300)
            {
                accepted.Add($"{name} ({bytes.Length} bytes) → {answer.Status}");
                if (answer.JsonString("id") is { } id) await Http.SendAsync(HttpMethod.Delete, ApiUrl($"/api/materials/materials/{id}/"), teacher.Token, null, null, null, CancellationToken.None);
            }
        }

        accepted.Should().BeEmpty("material uploads must accept only the contract's types (pdf, doc(x), ... 7z) up to 50 MB");
    }
}
