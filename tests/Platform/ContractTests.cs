using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace TheBot.Reference.Tests;

/// <summary>The contract's endpoints answer as documented (platform-contract.md §1–§7), error cases included.</summary>
public sealed class ContractTests(PlatformServers servers)
{
    private const string Student = "student@test.com", Student2 = "student2@test.com", Teacher = "teacher@test.com",
        Teacher2 = "teacher2@test.com", Tutor = "tutor@test.com", Parent = "parent@test.com", Admin = "admin@test.com";

    private Task<RunningPlatform> Clean() => servers.SharedAsync("clean", []);

    [Fact]
    public async Task Login_by_email_or_username_returns_token_and_user()
    {
        var p = await Clean();
        var (status, body) = await p.PostAsync("/api/auth/login/", json: new { username = Teacher2, password = p.Process.SeedPassword }).ReadAsync();
        status.Should().Be(200);
        body.GetProperty("success").GetBoolean().Should().BeTrue();
        body.GetProperty("data").GetProperty("token").GetString().Should().MatchRegex("^[0-9a-f]{40}$");
        body.GetProperty("data").GetProperty("user").GetProperty("role").GetString().Should().Be("teacher");
    }

    [Fact]
    public async Task Login_failures_have_contract_codes_and_bodies()
    {
        var p = await Clean();
        var (bad, badBody) = await p.PostAsync("/api/auth/login/", json: new { email = Student, password = "wrong" }).ReadAsync();
        bad.Should().Be(401);
        badBody.GetProperty("error").GetString().Should().Be("Неверные учетные данные");
        var (missing, missingBody) = await p.PostAsync("/api/auth/login/", json: new { email = Student }).ReadAsync();
        missing.Should().Be(400);
        missingBody.GetProperty("error").GetString().Should().Be("Ошибка валидации данных");
    }

    [Fact]
    public async Task Missing_invalid_and_bearer_credentials_get_401()
    {
        var p = await Clean();
        var (anon, anonBody) = await p.GetAsync("/api/auth/me/").ReadAsync();
        anon.Should().Be(401);
        anonBody.GetProperty("detail").GetString().Should().Be("Authentication credentials were not provided.");
        var (invalid, invalidBody) = await p.SendAsync(HttpMethod.Get, "/api/auth/me/", headers: new Dictionary<string, string> { ["Authorization"] = "Token " + new string('a', 40) }).ReadAsync();
        invalid.Should().Be(401);
        invalidBody.GetProperty("detail").GetString().Should().Be("Invalid token.");
        var token = await p.TokenAsync(Student);
        var (bearer, _) = await p.SendAsync(HttpMethod.Get, "/api/auth/me/", headers: new Dictionary<string, string> { ["Authorization"] = "Bearer " + token }).ReadAsync();
        bearer.Should().Be(401);
    }

    [Fact]
    public async Task Me_is_flat_with_role_and_staff_flag()
    {
        var p = await Clean();
        var (status, body) = await p.GetAsync("/api/auth/me/", Admin).ReadAsync();
        status.Should().Be(200);
        body.GetProperty("role").GetString().Should().Be("admin");
        body.GetProperty("is_staff").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task Refresh_replaces_the_token_and_logout_revokes_it()
    {
        var p = await Clean();
        using var login = await p.Http.PostAsJsonAsync("/api/auth/login/", new { email = Student2, password = p.Process.SeedPassword });
        var first = (await login.JsonAsync()).GetProperty("data").GetProperty("token").GetString()!;
        using var refresh = new HttpRequestMessage(HttpMethod.Post, "/api/auth/refresh/");
        refresh.Headers.TryAddWithoutValidation("Authorization", "Token " + first);
        using var refreshed = await p.Http.SendAsync(refresh);
        refreshed.StatusCode.Should().Be(HttpStatusCode.OK);
        var data = (await refreshed.JsonAsync()).GetProperty("data");
        var second = data.GetProperty("token").GetString()!;
        second.Should().NotBe(first);
        data.GetProperty("user").GetProperty("is_staff").GetBoolean().Should().BeFalse();
        data.GetProperty("expires_in").GetInt32().Should().BePositive();
        (await AsToken(p, HttpMethod.Get, "/api/auth/me/", first)).Should().Be(401);
        (await AsToken(p, HttpMethod.Post, "/api/auth/logout/", second)).Should().Be(200);
        (await AsToken(p, HttpMethod.Get, "/api/auth/me/", second)).Should().Be(401);
    }

    private static async Task<int> AsToken(RunningPlatform p, HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Token " + token);
        using var response = await p.Http.SendAsync(request);
        return (int)response.StatusCode;
    }

    [Theory]
    [InlineData("/api/auth/me")]
    [InlineData("/api/does-not-exist/")]
    public async Task Api_paths_without_slash_or_unknown_are_404_json(string path)
    {
        var p = await Clean();
        using var response = await p.GetAsync(path, Student);
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Headers.Location.Should().BeNull();
        (await response.JsonAsync()).GetProperty("detail").GetString().Should().Be("Not found.");
    }

    [Fact]
    public async Task Materials_are_paginated_and_visible_per_role()
    {
        var p = await Clean();
        var (status, page) = await p.GetAsync("/api/materials/materials/", Student).ReadAsync();
        status.Should().Be(200);
        foreach (var key in new[] { "count", "next", "previous", "results" }) page.TryGetProperty(key, out _).Should().BeTrue(key);
        var studentCount = page.GetProperty("count").GetInt32();
        var teacherCount = (await p.GetAsync("/api/materials/materials/", Teacher).ReadAsync()).Body.GetProperty("count").GetInt32();
        var adminCount = (await p.GetAsync("/api/materials/materials/", Admin).ReadAsync()).Body.GetProperty("count").GetInt32();
        studentCount.Should().BeGreaterThan(0).And.BeLessThan(teacherCount);
        adminCount.Should().Be(0);
        var (_, search) = await p.GetAsync("/api/materials/materials/?search=" + Uri.EscapeDataString("алгебр"), Student).ReadAsync();
        search.GetProperty("results").EnumerateArray().Should().OnlyContain(m => m.GetProperty("title").GetString()!.Contains("алгебр", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Material_create_is_201_with_id_for_teachers_and_403_for_students()
    {
        var p = await Clean();
        var material = new { title = "Контрактный материал", content = "Достаточно длинное содержание", subject = 1, is_public = true };
        var (created, body) = await p.PostAsync("/api/materials/materials/", Teacher, material).ReadAsync();
        created.Should().Be(201);
        body.GetProperty("id").GetInt32().Should().BePositive();
        body.GetProperty("status").GetString().Should().Be("draft");
        (await p.PostAsync("/api/materials/materials/", Student, material).ReadAsync()).Status.Should().Be(403);
        var (invalid, invalidBody) = await p.PostAsync("/api/materials/materials/", Teacher, new { title = "x", content = "short", subject = 1 }).ReadAsync();
        invalid.Should().Be(400);
        invalidBody.GetProperty("success").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Student_answer_is_accepted_once_and_only_for_open_materials()
    {
        var p = await Clean();
        var (_, list) = await p.GetAsync("/api/materials/materials/", Teacher).ReadAsync();
        int Id(string title) => list.GetProperty("results").EnumerateArray().First(m => m.GetProperty("title").GetString() == title).GetProperty("id").GetInt32();
        var assigned = Id("Тест по дробям");
        (await p.PostAsync($"/api/student/materials/{assigned}/submissions/", Student, new { submission_text = "Ответ" }).ReadAsync()).Status.Should().Be(201);
        var (again, againBody) = await p.PostAsync($"/api/student/materials/{assigned}/submissions/", Student, new { submission_text = "Ещё" }).ReadAsync();
        again.Should().Be(400);
        againBody.GetProperty("error").GetString().Should().Be("Ответ уже отправлен");
        (await p.PostAsync($"/api/student/materials/{Id("Законы Ньютона")}/submissions/", Student, new { submission_text = "Ответ" }).ReadAsync()).Status.Should().Be(403);
        var (pending, pendingBody) = await p.GetAsync("/api/teacher/submissions/pending/", Teacher).ReadAsync();
        pending.Should().Be(200);
        pendingBody.GetProperty("count").GetInt32().Should().BePositive();
    }

    [Fact]
    public async Task Assignment_create_submit_and_grade_follow_the_contract()
    {
        var p = await Clean();
        var me = (await p.GetAsync("/api/auth/me/", Student).ReadAsync()).Body.GetProperty("id").GetInt32();
        var (created, createdBody) = await p.PostAsync("/api/assignments/", Teacher, new
        {
            title = "Контрольная API", description = "Описание", instructions = "Инструкции",
            start_date = DateTimeOffset.UtcNow.AddDays(-1), due_date = DateTimeOffset.UtcNow.AddDays(3), max_score = 50, assigned_to = new[] { me },
        }).ReadAsync();
        created.Should().Be(201);
        createdBody.TryGetProperty("id", out _).Should().BeFalse("assignment create returns the input fields only");
        var (_, list) = await p.GetAsync("/api/assignments/", Student).ReadAsync();
        var id = list.GetProperty("results").EnumerateArray().First(a => a.GetProperty("title").GetString() == "Контрольная API").GetProperty("id").GetInt32();
        (await p.PostAsync($"/api/assignments/{id}/submit/", Student, new { assignment = id, content = "Решение" }).ReadAsync()).Status.Should().Be(201);
        (await p.PostAsync($"/api/assignments/{id}/submit/", Student2, new { assignment = id, content = "Решение" }).ReadAsync()).Status.Should().Be(403);
        (await p.PostAsync($"/api/assignments/{id}/submit/", Student, new { assignment = id, content = "Снова" }).ReadAsync()).Status.Should().Be(400, "attempt limit 1");

        var (_, subs) = await p.GetAsync($"/api/assignments/submissions/?assignment={id}", Teacher).ReadAsync();
        var sid = subs.GetProperty("results")[0].GetProperty("id").GetInt32();
        var (first, graded) = await p.PostAsync($"/api/assignments/submissions/{sid}/grade/", Teacher, new { grade = 8, feedback = "Хорошо" }).ReadAsync();
        first.Should().Be(201);
        graded.GetProperty("score").GetDouble().Should().Be(40, "score = grade × max_score / 10");
        graded.GetProperty("percentage").GetDouble().Should().Be(80);
        (await p.PostAsync($"/api/assignments/submissions/{sid}/grade/", Teacher, new { grade = 9, feedback = "Лучше" }).ReadAsync()).Status.Should().Be(200);
        (await p.PostAsync($"/api/assignments/submissions/{sid}/grade/", Teacher, new { feedback = "нет оценки" }).ReadAsync()).Status.Should().Be(400);
        (await p.PostAsync($"/api/assignments/submissions/{sid}/grade/", Student, new { grade = 10 }).ReadAsync()).Status.Should().Be(403);
    }

    [Theory]
    [InlineData("/api/dashboard/student/", Student, 200)]
    [InlineData("/api/dashboard/student/progress/", Student, 200)]
    [InlineData("/api/student/progress/?subject=1", Student, 200)]
    [InlineData("/api/student/progress/", Student, 400)]
    [InlineData("/api/teacher/dashboard/", Teacher, 200)]
    [InlineData("/api/teacher/progress/", Teacher, 200)]
    [InlineData("/api/dashboard/tutor/", Tutor, 200)]
    [InlineData("/api/parent/children/", Parent, 200)]
    [InlineData("/api/teacher/dashboard/", Student, 403)]
    [InlineData("/api/parent/children/", Teacher, 403)]
    public async Task Dashboards_answer_per_role(string path, string user, int expected)
    {
        var p = await Clean();
        (await p.GetAsync(path, user).ReadAsync()).Status.Should().Be(expected);
    }

    [Fact]
    public async Task Linked_progress_is_visible_only_to_the_tutor_and_parent()
    {
        var p = await Clean();
        var child = (await p.GetAsync("/api/auth/me/", Student).ReadAsync()).Body.GetProperty("id").GetInt32();
        var other = (await p.GetAsync("/api/auth/me/", Teacher).ReadAsync()).Body.GetProperty("id").GetInt32();
        (await p.GetAsync($"/api/dashboard/tutor/students/{child}/progress/", Tutor).ReadAsync()).Status.Should().Be(200);
        (await p.GetAsync($"/api/parent/children/{child}/progress/", Parent).ReadAsync()).Status.Should().Be(200);
        (await p.GetAsync($"/api/parent/children/{other}/progress/", Parent).ReadAsync()).Status.Should().Be(404);
    }

    [Fact]
    public async Task Chat_permission_matrix_and_messages()
    {
        var p = await Clean();
        async Task<int> Id(string email) => (await p.GetAsync("/api/auth/me/", email).ReadAsync()).Body.GetProperty("id").GetInt32();
        var (ok, chat) = await p.PostAsync("/api/chat/", Student, new { recipient_id = await Id(Teacher) }).ReadAsync();
        ok.Should().Be(201);
        (await p.PostAsync("/api/chat/", Student, new { recipient_id = await Id(Teacher) }).ReadAsync()).Status.Should().Be(201, "an existing chat is still 201");
        (await p.PostAsync("/api/chat/", Student, new { recipient_id = await Id(Teacher2) }).ReadAsync()).Status.Should().Be(403, "no enrollment");
        (await p.PostAsync("/api/chat/", Student, new { recipient_id = await Id(Parent) }).ReadAsync()).Status.Should().Be(403, "student–parent is refused");
        (await p.PostAsync("/api/chat/", Student, new { recipient_id = await Id(Student2) }).ReadAsync()).Status.Should().Be(403, "same role");
        (await p.PostAsync("/api/chat/", Student, new { recipient_id = await Id(Tutor) }).ReadAsync()).Status.Should().Be(201);
        (await p.PostAsync("/api/chat/", Tutor, new { recipient_id = await Id(Parent) }).ReadAsync()).Status.Should().Be(201);
        (await p.PostAsync("/api/chat/", Teacher, new { recipient_id = await Id(Parent) }).ReadAsync()).Status.Should().Be(201);
        (await p.PostAsync("/api/chat/", Admin, new { recipient_id = await Id(Student2) }).ReadAsync()).Status.Should().Be(201);
        (await p.PostAsync("/api/chat/", Student, new { recipient_id = 999999 }).ReadAsync()).Status.Should().Be(400);

        var id = chat.GetProperty("id").GetInt32();
        (await p.PostAsync($"/api/chat/{id}/send_message/", Teacher, new { content = "" }).ReadAsync()).Status.Should().Be(400);
        (await p.PostAsync($"/api/chat/{id}/send_message/", Teacher, new { content = new string('я', 10_001) }).ReadAsync()).Status.Should().Be(400);
        (await p.PostAsync($"/api/chat/{id}/send_message/", Teacher, new { content = "Контракт" }).ReadAsync()).Status.Should().Be(201);
        var (_, messages) = await p.GetAsync($"/api/chat/{id}/messages/?limit=50", Student).ReadAsync();
        var ids = messages.GetProperty("results").EnumerateArray().Select(m => m.GetProperty("id").GetInt32()).ToList();
        ids.Should().BeInAscendingOrder("oldest first");
        var (_, list) = await p.GetAsync("/api/chat/", Student).ReadAsync();
        list.GetProperty("results").EnumerateArray().First(c => c.GetProperty("id").GetInt32() == id).GetProperty("unread_count").GetInt32().Should().BePositive();
        var (_, read) = await p.PostAsync($"/api/chat/{id}/mark_as_read/", Student).ReadAsync();
        read.GetProperty("unread_count").GetInt32().Should().Be(0);
        (await p.GetAsync($"/api/chat/{id}/messages/", Parent).ReadAsync()).Status.Should().Be(403);
        var (_, contacts) = await p.GetAsync("/api/chat/contacts/", Student).ReadAsync();
        contacts.GetProperty("results").EnumerateArray().Should().Contain(c => c.GetProperty("has_existing_chat").GetBoolean() && c.GetProperty("chat_id").GetInt32() == id);
    }

    [Fact]
    public async Task Reports_create_without_id_and_generate_once()
    {
        var p = await Clean();
        var (created, body) = await p.PostAsync("/api/reports/reports/", Teacher, new { title = "Отчёт API", type = "weekly", start_date = "2026-01-01", end_date = "2026-01-31" }).ReadAsync();
        created.Should().Be(201);
        body.TryGetProperty("id", out _).Should().BeFalse();
        var (_, list) = await p.GetAsync("/api/reports/reports/", Teacher).ReadAsync();
        var id = list.GetProperty("results").EnumerateArray().First(r => r.GetProperty("title").GetString() == "Отчёт API").GetProperty("id").GetInt32();
        (await p.PostAsync($"/api/reports/reports/{id}/generate/", Teacher).ReadAsync()).Status.Should().Be(200);
        var (again, againBody) = await p.PostAsync($"/api/reports/reports/{id}/generate/", Teacher).ReadAsync();
        again.Should().Be(400);
        againBody.GetProperty("error").GetString().Should().Be("Отчет уже сгенерирован");
    }

    [Fact]
    public async Task Payment_flow_with_signed_webhook()
    {
        var p = await Clean();
        (await p.GetAsync("/api/payments/health/").ReadAsync()).Body.GetProperty("status").GetString().Should().Be("ok");
        var (created, payment) = await p.PostAsync("/api/payments/payments/", Student, new { amount = "990.00", service_name = "Урок", customer_fio = "Иван Студентов", description = "тест", return_url = p.BaseUrl + "payments" }).ReadAsync();
        created.Should().Be(201);
        payment.GetProperty("confirmation_url").GetString().Should().Contain("/payments/sandbox/");
        var id = payment.GetProperty("id").GetString();
        (await p.GetAsync($"/api/payments/payments/{id}/status/", Teacher).ReadAsync()).Status.Should().Be(404, "another user's payment");

        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "notification", @event = "payment.succeeded", @object = new { id = payment.GetProperty("yookassa_payment_id").GetString(), status = "succeeded" } }));
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(PlatformServers.YooKassaSecret), body));
        (await Webhook(p, body, null)).Should().Be(403);
        (await Webhook(p, body, new string('0', 64))).Should().Be(403);
        (await Webhook(p, body, signature)).Should().Be(200);
        var (_, status) = await p.GetAsync($"/api/payments/payments/{id}/status/", Student).ReadAsync();
        status.GetProperty("status").GetString().Should().Be("succeeded");

        (await p.PostAsync("/api/payments/initiate/", Student, new { child_id = 1, amount = 100, description = "x" }).ReadAsync()).Status.Should().Be(403);
        (await p.PostAsync("/api/payments/initiate/", Parent, new { child_id = 999999, amount = 100, description = "x" }).ReadAsync()).Status.Should().Be(404);
    }

    private static async Task<int> Webhook(RunningPlatform p, byte[] body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/yookassa-webhook/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (signature is not null) request.Headers.TryAddWithoutValidation("X-Yookassa-Webhook-Signature", signature);
        using var response = await p.Http.SendAsync(request);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task Applications_are_public()
    {
        var p = await Clean();
        var (created, body) = await p.PostAsync("/api/applications/submit/", json: new { first_name = "Анна", last_name = "Петрова", email = "anna@example.com", phone = "+7 999 123-45-67", applicant_type = "parent" }).ReadAsync();
        created.Should().Be(201);
        var token = body.GetProperty("tracking_token").GetString();
        (await p.GetAsync($"/api/applications/status/{token}/").ReadAsync()).Body.GetProperty("status").GetString().Should().Be("pending");
    }

    [Fact]
    public async Task Admin_creates_and_deactivates_a_user_who_then_gets_403_on_login()
    {
        var p = await Clean();
        (await p.GetAsync("/api/admin/users/", Student).ReadAsync()).Status.Should().Be(403);
        (await p.PostAsync("/api/admin/users/", Admin, new { email = "drill@test.com", first_name = "Д", last_name = "Р", role = "student", password = "Drill12345!" }).ReadAsync()).Status.Should().Be(201);
        var (_, list) = await p.GetAsync("/api/admin/users/?search=drill", Admin).ReadAsync();
        var id = list.GetProperty("results")[0].GetProperty("id").GetInt32();
        (await p.PostAsync($"/api/admin/users/{id}/deactivate/", Admin).ReadAsync()).Status.Should().Be(200);
        (await p.PostAsync("/api/auth/login/", json: new { email = "drill@test.com", password = "Drill12345!" }).ReadAsync()).Status.Should().Be(403);
        File.ReadAllText(Path.Combine(p.Process.LogDirectory, "admin.log")).Should().Contain("deactivated");
    }

    [Fact]
    public async Task Security_headers_hosts_and_redirect()
    {
        var p = await Clean();
        using var response = await p.GetAsync("/api/system/health/live/");
        response.Headers.GetValues("Strict-Transport-Security").Single().Should().Be("max-age=31536000; includeSubDomains; preload");
        response.Headers.GetValues("X-Frame-Options").Single().Should().Be("DENY");
        response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        response.Headers.GetValues("Referrer-Policy").Single().Should().Be("same-origin");
        response.Headers.GetValues("Cross-Origin-Opener-Policy").Single().Should().Be("same-origin");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().NotContain("unsafe-eval");
        response.Headers.Contains("Server").Should().BeFalse();
        (await p.SendAsync(HttpMethod.Get, "/api/system/health/live/", headers: new Dictionary<string, string> { ["Host"] = "evil.example.com" }).ReadAsync()).Status.Should().Be(400);

        using var http = RunningPlatform.NewClient(new Uri($"http://{p.BaseUrl.Host}:{p.Process.HttpPort}"));
        using var plain = await http.GetAsync("/api/auth/me/?x=1");
        plain.StatusCode.Should().Be(HttpStatusCode.MovedPermanently);
        plain.Headers.Location!.ToString().Should().Be($"https://{p.BaseUrl.Host}:{p.BaseUrl.Port}/api/auth/me/?x=1");
    }

    [Fact]
    public async Task Cors_echoes_only_allowed_origins()
    {
        var p = await Clean();
        var own = $"https://{p.BaseUrl.Host}:{p.BaseUrl.Port}";
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/auth/me/");
        preflight.Headers.Add("Origin", own);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var allowed = await p.Http.SendAsync(preflight);
        allowed.Headers.GetValues("Access-Control-Allow-Origin").Single().Should().Be(own);
        allowed.Headers.GetValues("Access-Control-Allow-Credentials").Single().Should().Be("true");
        allowed.Headers.GetValues("Access-Control-Allow-Methods").Single().Should().Be("DELETE, GET, OPTIONS, PATCH, POST, PUT");
        using var foreign = await p.SendAsync(HttpMethod.Get, "/api/system/health/live/", headers: new Dictionary<string, string> { ["Origin"] = "https://evil.example.com" });
        foreign.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }

    [Fact]
    public async Task Session_cookies_are_secure_and_csrf_is_enforced_for_cookie_auth()
    {
        var p = await Clean();
        var cookies = new CookieContainer();
        using var browser = RunningPlatform.NewClient(p.BaseUrl, cookies);
        using var login = await browser.PostAsJsonAsync("/api/auth/login/", new { email = Tutor, password = p.Process.SeedPassword });
        var setCookies = login.Headers.GetValues("Set-Cookie").ToList();
        setCookies.Should().Contain(c => c.StartsWith("sessionid=") && c.Contains("secure") && c.Contains("httponly") && c.Contains("samesite=lax"));
        setCookies.Should().Contain(c => c.StartsWith("csrftoken=") && c.Contains("secure"));
        using var noToken = await browser.PostAsJsonAsync("/api/chat/", new { recipient_id = 1 });
        noToken.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await noToken.JsonAsync()).GetProperty("detail").GetString().Should().StartWith("CSRF Failed");
        var csrf = cookies.GetCookies(p.BaseUrl)["csrftoken"]!.Value;
        using var withToken = new HttpRequestMessage(HttpMethod.Post, "/api/chat/") { Content = JsonContent.Create(new { recipient_id = 1 }) };
        withToken.Headers.Add("X-CSRFToken", csrf);
        withToken.Headers.Add("Origin", $"https://{p.BaseUrl.Host}:{p.BaseUrl.Port}");
        using var accepted = await browser.SendAsync(withToken);
        accepted.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Prometheus_exposes_every_contract_family()
    {
        var p = await Clean();
        var text = await p.Http.GetStringAsync("/api/system/metrics/prometheus/");
        foreach (var family in FaultTests.PrometheusFamilies)
        {
            text.Should().Contain($"# HELP {family} ");
            text.Should().Contain($"# TYPE {family} ");
        }
    }

    [Fact]
    public async Task Sentry_test_endpoint_is_a_generic_500()
    {
        var p = await Clean();
        using var response = await p.GetAsync("/api/test-sentry-error/");
        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().NotContain("Traceback").And.NotContain("InvalidOperationException");
    }

    [Fact]
    public async Task Ops_artefacts_are_written()
    {
        var p = await Clean();
        var env = Path.Combine(p.OpsDirectory, ".env");
        File.GetUnixFileMode(env).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.ReadAllText(env).Should().Contain("DEBUG=False").And.MatchRegex("SECRET_KEY=.{50,}");
        var backup = Directory.GetFiles(Path.Combine(p.OpsDirectory, "backups"), "db_backup_*.sql.gz").Single();
        await using var gz = new System.IO.Compression.GZipStream(File.OpenRead(backup), System.IO.Compression.CompressionMode.Decompress);
        (await new StreamReader(gz).ReadToEndAsync()).Should().Contain("CREATE TABLE public.accounts_user");
        foreach (var file in new[] { "nginx.conf", "docker-compose.yml", "backend-image-inspect.json", "frontend-image-inspect.json", "prometheus.yml", "migrations.json" })
            File.Exists(Path.Combine(p.OpsDirectory, file)).Should().BeTrue(file);
    }

    [Fact]
    public async Task Chat_websocket_fans_out_and_refuses_outsiders()
    {
        var p = await Clean();
        var (_, chat) = await p.PostAsync("/api/chat/", Student, new { recipient_id = (await p.GetAsync("/api/auth/me/", Teacher).ReadAsync()).Body.GetProperty("id").GetInt32() }).ReadAsync();
        var id = chat.GetProperty("id").GetInt32();
        using var a = await Ws.ConnectAsync(p, $"/ws/chat/{id}/?token={await p.TokenAsync(Student)}");
        (await Ws.ReceiveAsync(a)).GetProperty("type").GetString().Should().Be("auth_success");
        using var b = await Ws.ConnectAsync(p, $"/ws/chat/{id}/");
        await Ws.SendAsync(b, new { type = "auth", token = await p.TokenAsync(Teacher) });
        (await Ws.ReceiveAsync(b)).GetProperty("type").GetString().Should().Be("auth_success");
        await Ws.SendAsync(a, new { type = "message", content = "По сокету" });
        var received = await Ws.ReceiveAsync(b);
        received.GetProperty("type").GetString().Should().Be("message");
        received.GetProperty("message").GetProperty("content").GetString().Should().Be("По сокету");

        using var outsider = await Ws.ConnectAsync(p, $"/ws/chat/{id}/?token={await p.TokenAsync(Parent)}");
        await Ws.ReceiveAsync(outsider);
        await Ws.ReceiveAsync(outsider, expectClose: true);
        outsider.CloseStatus.Should().Be((WebSocketCloseStatus)4003);
    }
}

/// <summary>WebSocket helpers for the chat protocol.</summary>
public static class Ws
{
    public static async Task<ClientWebSocket> ConnectAsync(RunningPlatform p, string path)
    {
        var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        await socket.ConnectAsync(new Uri($"wss://{p.BaseUrl.Host}:{p.BaseUrl.Port}{path}"), CancellationToken.None);
        return socket;
    }

    public static Task SendAsync(ClientWebSocket socket, object frame) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);

    public static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket, bool expectClose = false)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            expectClose.Should().BeTrue($"unexpected close {socket.CloseStatus}");
            return default;
        }
        return JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
    }
}
