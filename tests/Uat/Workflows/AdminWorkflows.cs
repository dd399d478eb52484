using System.Security.Cryptography;
using System.Text.RegularExpressions;
using FluentAssertions;
using Gate.Browser;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Uat.Pages;

namespace Gate.Uat.Workflows;

/// <summary>Checklist 14.2, admin: user management, system monitoring, reports.</summary>
public sealed class AdminWorkflows(GateEnvironment environment, BrowserHost host) : UatCheck(environment, host)
{
    [Check("UAT-015", "14.2", Severity = Severity.Critical)]
    public async Task Admin_creates_and_deactivates_a_user_who_then_cannot_sign_in()
    {
        RequireWrites();
        await LeaseAsync("admin");
        var admin = await AsAsync("admin", "/dashboard/admin");
        var email = $"uat-{SafeRunId}-{RandomNumberGenerator.GetHexString(4, lowercase: true)}@test.com";
        var password = RandomNumberGenerator.GetHexString(16) + "a!";
        Gate.Fixtures.Reporting.Redactor.AddSecret(password);

        await admin.Shell.OpenSidebarAsync("Пользователи");
        var users = new AdminUsersPage(admin.Page);
        await users.CreateAsync(email, "UAT", Settings.RunId, "student", password);
        LeftBehind($"the deactivated account {email}");

        var newcomer = new SignInPage(await NewPageAsync("new-user"));
        await newcomer.OpenAsync();
        await newcomer.SignInAsync(email, password, "student");

        await users.DeactivateAsync(email);

        var again = new SignInPage(await NewPageAsync("deactivated-user"));
        await again.OpenAsync();
        await again.SubmitAsync(email, password);
        await again.ExpectRefusedAsync(new Regex("отключена|Неверный логин или пароль"), $"the deactivated {email}");
        await newcomer.GotoAsync("/dashboard/student");
        await newcomer.ExpectPathAsync("/auth/signin", $"the deactivated {email}'s open session to be sent back to /auth/signin");
    }

    [Check("UAT-016", "14.2", Severity = Severity.High)]
    public async Task Admin_sees_the_system_monitoring_view()
    {
        await LeaseAsync("admin");
        var admin = await AsAsync("admin", "/dashboard/admin");

        await admin.Shell.OpenSidebarAsync("Мониторинг");
        var monitoring = new MonitoringPage(admin.Page);
        await monitoring.ExpectComponentsAsync("database", "redis");
        await monitoring.ExpectHealthyAsync();
        await monitoring.ExpectMetricsAsync();
    }

    [Check("UAT-017", "14.2, 15.3", Severity = Severity.Medium)]
    public async Task Admin_generates_a_system_report()
    {
        await LeaseAsync("admin");
        var admin = await AsAsync("admin", "/dashboard/admin");
        var users = await ApiGetAsync(admin, "/api/admin/users/");
        var total = users.Json is { } json && json.TryGetProperty("count", out var count) ? count.GetInt32() : -1;

        await admin.Shell.OpenSidebarAsync("Мониторинг");
        var line = await new MonitoringPage(admin.Page).GenerateReportAsync();

        line.Should().StartWith($"Пользователей: {total}", $"the system report must count the {total} accounts {users.Url} lists (admin-report-users at {admin.Page.Url})");
    }
}
