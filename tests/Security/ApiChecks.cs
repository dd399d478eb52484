using System.Text;
using System.Text.Json;
using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Settings;
using Snapshooter;
using Snapshooter.Xunit3;
using Xunit;

namespace Gate.Security;

/// <summary>Checklist 13.4 "API Testing": valid data, invalid data, rate limiting, authentication failures (CORS: HST-002..005).</summary>
public sealed class ApiChecks(GateEnvironment environment, SecurityKit kit) : SecurityCheck(environment, kit)
{
    /// <summary>Read endpoints with the role that calls them and the schema their answer must match.</summary>
    public static TheoryData<string, string, string> ValidRequests() => new()
    {
        { "auth-me", "student", "/api/auth/me/" },
        { "materials-page", "teacher", "/api/materials/materials/" },
        { "subjects-page", "student", "/api/materials/subjects/" },
        { "chat-page", "student", "/api/chat/" },
        { "submissions-page", "student", "/api/assignments/submissions/" },
        { "student-dashboard", "student", "/api/dashboard/student/" },
        { "liveness", "anonymous", "/api/system/health/live/" },
        { "payments-health", "anonymous", "/api/payments/health/" },
    };

    [CheckTheory("API-001", "13.4", Severity = Severity.High)]
    [MemberData(nameof(ValidRequests))]
    public async Task A_valid_request_returns_2xx_and_a_body_matching_its_schema(string schema, string role, string path)
    {
        var token = role == "anonymous" ? null : (await SessionAsync(role)).Token;

        var answer = await Http.GetAsync(ApiUrl(path), token, ct: Cancellation);

        answer.Status.Should().BeInRange(200, 299, $"a valid GET {path} as {role} must succeed: {answer.Describe()}");
        answer.Json.Should().NotBeNull($"{answer.Url} must answer JSON: {answer.Describe()}");
        ApiSchemas.Violations(schema, answer.Json!.Value).Should().BeEmpty($"the body of {answer.Url} must match tests/Security/Schemas/{schema}.json");
        Snapshot.Match(Newtonsoft.Json.Linq.JToken.Parse(ApiSchemas.Text(schema)), SnapshotNameExtension.Create(schema));
    }

    [Check("API-002", "13.4, 15.3", Severity = Severity.High)]
    public async Task Sign_in_answers_a_token_and_user_matching_the_schema()
    {
        var login = await FreshLoginAsync("schema");

        ApiSchemas.Violations("login", login.Response.Json!.Value).Should().BeEmpty($"the sign-in answer of {login.Response.Url} must match tests/Security/Schemas/login.json");
        Snapshot.Match(Newtonsoft.Json.Linq.JToken.Parse(ApiSchemas.Text("login")), SnapshotNameExtension.Create("login"));
    }

    /// <summary>Invalid inputs: wrong types, missing fields, malformed JSON, oversized bodies, hostile query values.</summary>
    public static TheoryData<string, string, string, string> InvalidRequests() => new()
    {
        { "login: malformed JSON", "anonymous", "POST /api/auth/login/", "{\"email\": \"a@b.c\", " },
        { "login: wrong types", "anonymous", "POST /api/auth/login/", "{\"email\": {\"a\": 1}, \"password\": [1, 2]}" },
        { "login: missing fields", "anonymous", "POST /api/auth/login/", "{}" },
        { "login: JSON array body", "anonymous", "POST /api/auth/login/", "[1, 2, 3]" },
        { "login: oversized body", "anonymous", "POST /api/auth/login/", "OVERSIZED" },
        { "material: wrong types", "teacher", "POST /api/materials/materials/", "{\"title\": 5, \"content\": false, \"subject\": \"x\"}" },
        { "material: missing fields", "teacher", "POST /api/materials/materials/", "{\"title\": \"only a title\"}" },
        { "material: malformed JSON", "teacher", "POST /api/materials/materials/", "{\"title\": " },
        { "chat: wrong type", "student", "POST /api/chat/", "{\"recipient_id\": \"not-a-number\"}" },
        { "payment: negative amount", "parent", "POST /api/payments/payments/", "{\"amount\": -5, \"service_name\": \"x\", \"customer_fio\": \"x\"}" },
        { "assignment: missing fields", "teacher", "POST /api/assignments/", "{\"title\": \"t\"}" },
        { "search: quote", "teacher", "GET /api/materials/materials/?search=%27", "" },
        { "filter: wrong type", "teacher", "GET /api/materials/materials/?subject=abc", "" },
        { "page: not a number", "teacher", "GET /api/materials/materials/?page=abc", "" },
        { "page: out of range", "teacher", "GET /api/materials/materials/?page=999999", "" },
        { "progress: missing subject", "student", "GET /api/student/progress/", "" },
    };

    [CheckTheory("API-003", "13.4", Severity = Severity.High)]
    [MemberData(nameof(InvalidRequests))]
    public async Task Invalid_data_gets_4xx_and_never_5xx(string name, string role, string request, string body)
    {
        var token = role == "anonymous" ? null : (await SessionAsync(role)).Token;
        var (method, path) = (request.Split(' ')[0], request.Split(' ')[1]);
        if (body == "OVERSIZED") body = JsonSerializer.Serialize(new { email = new string('a', 2 * 1024 * 1024), password = "x" });

        var answer = await Http.SendAsync(new HttpMethod(method), ApiUrl(path), token, method == "GET" ? null : new StringContent(body, Encoding.UTF8, "application/json"), null, null, Cancellation);

        if (method == "GET") // hostile query values: ignored (2xx) or refused (4xx), never a server error
            answer.Status.Should().BeInRange(200, 499, $"{name}: {method} {path} must not cause a server error, found {answer.Describe(200)}");
        else
            answer.Status.Should().BeInRange(400, 499, $"{name}: {method} {path} must be rejected as a client error, found {answer.Describe(200)}");
    }

    [Check("API-004", "13.4, 15.6", Severity = Severity.High)]
    public async Task Rate_limiting_answers_the_configured_status_with_Retry_After_and_recovers()
    {
        var user = await FreshLoginAsync("throttle");
        var path = Input(SettingNames.RateLimitPath) ?? "/api/auth/me/";
        var status = IntInput(SettingNames.RateLimitStatus, 429);

        var limited = (Gate.Fixtures.Clients.ApiResponse?)null;
        for (var i = 0; i < 60 && limited is null; i++)
        {
            var answer = await Http.SendAsync(HttpMethod.Get, ApiUrl(path), user.Token, null, null, null, Cancellation, pace: false);
            if (answer.Status == status) limited = answer;
        }

        limited.Should().NotBeNull($"60 rapid GET {path} as one user must hit the rate limit (burst 10/s) and answer {status} (GATE_RATE_LIMIT_STATUS)");
        var retryAfter = limited!.Header("Retry-After");
        Evidence.Record("retry_after", retryAfter ?? "(absent)");
        int.TryParse(retryAfter, out var wait).Should().BeTrue($"the {status} from {limited.Url} must carry Retry-After in seconds, found '{retryAfter}'");
        wait.Should().BeInRange(1, 10, $"the burst limit at {limited.Url} must lift within seconds, Retry-After was {wait}");
        await Task.Delay(TimeSpan.FromSeconds(wait + 0.2), Cancellation);
        var after = await Http.SendAsync(HttpMethod.Get, ApiUrl(path), user.Token, null, null, null, Cancellation, pace: false);
        after.Status.Should().Be(200, $"after waiting Retry-After ({wait} s) {path} must answer again, found {after.Describe()}");
    }

    [Check("API-005", "13.4", Severity = Severity.High)]
    public async Task Repeated_failed_sign_ins_are_throttled()
    {
        var status = IntInput(SettingNames.RateLimitStatus, 429);
        var login = $"{Settings.RunId}-nobody@gate.test";

        var statuses = new List<int>();
        for (var i = 0; i < 8 && !statuses.Contains(status); i++)
            statuses.Add((await Http.PostJsonAsync(ApiUrl("/api/auth/login/"), JsonSerializer.Serialize(new { email = login, password = $"wrong-{i}" }), ct: Cancellation)).Status);

        Evidence.Record("statuses", string.Join(",", statuses));
        statuses.Should().Contain(status, $"sign-in attempts for one account beyond 5/min must answer {status} (login throttle), found {string.Join(", ", statuses)}");
        statuses.Where(s => s != status).Should().AllSatisfy(s => s.Should().Be(401, "failed sign-ins before the limit must answer 401"));
    }

    [Check("API-006", "13.4", Severity = Severity.High)]
    public async Task Authentication_failures_answer_401_and_permission_failures_403()
    {
        var student = await SessionAsync("student");

        var wrongPassword = await Http.PostJsonAsync(ApiUrl("/api/auth/login/"), JsonSerializer.Serialize(new { email = student.Email, password = "definitely-wrong-password" }), ct: Cancellation);
        var unknownToken = await Http.GetAsync(ApiUrl("/api/auth/me/"), new string('0', 40), ct: Cancellation);
        var forbidden = await Http.PostJsonAsync(ApiUrl("/api/materials/materials/"), "{}", student.Token, ct: Cancellation);

        wrongPassword.Status.Should().Be(401, $"a wrong password must answer 401: {wrongPassword.Describe()}");
        unknownToken.Status.Should().Be(401, $"an unknown token must answer 401: {unknownToken.Describe()}");
        unknownToken.JsonString("detail").Should().Be("Invalid token.", $"{unknownToken.Url} must say why (DRF)");
        forbidden.Status.Should().Be(403, $"a student creating a material must get 403: {forbidden.Describe()}");
    }
}
