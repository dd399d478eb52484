using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Reporting;

namespace Gate.Smoke;

/// <summary>Checklist 13.1 / 15.1: the core services answer.</summary>
public sealed class CoreServicesChecks(GateEnvironment environment) : GateCheck(environment)
{
    [Check("SMK-001", "13.1, 15.1", Severity = Severity.Critical)]
    public async Task Frontend_loads()
    {
        var page = await Frontend.GetAsync("/", ct: Cancellation);

        page.Should().HaveStatus(200, "the frontend must load");
        page.Header("Content-Type").Should().StartWith("text/html", $"the frontend at {page.Url} must serve an HTML page");
        page.Body.Should().ContainEquivalentOf("<html", $"the frontend at {page.Url} must return an HTML document");
        Evidence.Record("frontend_ms", page.Elapsed.TotalMilliseconds.ToString("F0"));
    }

    [Check("SMK-002", "13.1, 15.1", Severity = Severity.Critical)]
    public async Task Backend_API_answers_an_authenticated_request()
    {
        var session = await SessionAsync("student");

        var me = await Api.GetAsync("/api/auth/me/", session.Token, ct: Cancellation);

        me.Should().HaveStatus(200, "a signed-in user must be able to read /api/auth/me/").And.HaveJsonBody();
        me.JsonString("role").Should().Be("student", $"{me.Url} must report the signed-in account's role");
    }

    [Check("SMK-003", "1.2, 13.1, 15.1", Severity = Severity.Critical)]
    public async Task Database_accepts_queries()
    {
        var database = Require.Value(Settings.Database, "no database URL configured (GATE_DATABASE_URL)");
        await using var connection = await Probe(() => new PostgresProbe(database, Settings.CaFile).ConnectAsync(Cancellation));

        var version = await connection.ScalarAsync<string>("SELECT version()", Cancellation);

        version.Should().StartWith("PostgreSQL", $"SELECT version() on {database} must answer");
        Evidence.Record("postgresql_version", version);
    }

    [Check("SMK-004", "1.3, 13.1, 15.1", Severity = Severity.Critical)]
    public async Task Redis_answers_PING()
    {
        var redis = Require.Value(Settings.Redis, "no Redis URL configured (GATE_REDIS_URL)");
        await using var connection = await Probe(() => new RedisProbe(redis, Settings.Timeout, Environment.Trust).ConnectAsync());

        var latency = await connection.GetDatabase().PingAsync();

        latency.Should().BeLessThan(Settings.ResponseBudget, $"PING to {redis} must answer within the budget");
        Evidence.Record("redis_ping_ms", latency.TotalMilliseconds.ToString("F1"));
    }

    [Check("SMK-005", "13.1, 15.1", Severity = Severity.Critical)]
    public async Task WebSocket_connects_and_round_trips_a_message()
    {
        var session = await SessionAsync("student");
        var url = new Uri(Settings.WsUrl!.ToString().TrimEnd('/') + "/notifications/");
        await using var socket = await Probe(() => WebSocketProbe.ConnectAsync(url, Environment.Trust, Settings.Timeout, Settings.BaseUrl, Cancellation));

        await socket.SendAsync(new { type = "auth", token = session.Token }, Cancellation);
        var reply = await Probe(() => socket.ReceiveTypeAsync("auth_success", ct: Cancellation));

        reply.GetProperty("user_id").GetInt32().Should().Be(session.UserId, $"{url} must authenticate the token's user");
    }

    [Check("SMK-016", "7.2", Severity = Severity.High)]
    public async Task An_active_staff_administrator_can_sign_in()
    {
        var admin = await SessionAsync("admin");

        var me = await Api.GetAsync("/api/auth/me/", admin.Token, ct: Cancellation);

        me.Should().HaveStatus(200, "the administrator must be able to read /api/auth/me/").And.HaveJsonBody();
        var isStaff = me.JsonString("is_staff") == "true";
        isStaff.Should().BeTrue($"the administrator {admin.Email} must be staff (manage.py createsuperuser); {me.Url} reports is_staff={me.JsonString("is_staff") ?? "absent"}");
        me.JsonString("role").Should().Be("admin", $"{admin.Email} must have the admin role");
    }
}
