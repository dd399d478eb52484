using Gate.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gate.Uat.Pages;

/// <summary>/admin/users: the create form, the user list (user-item with data-email), deactivate/activate.</summary>
public sealed class AdminUsersPage(IPage page) : AppShell(page)
{
    /// <summary>
    /// The user's row. First: the reference frontend can list a row twice when a search starts
    /// while an earlier load of the list is still running (both loads append).
    /// </summary>
    public ILocator Row(string email) => Page.GetByTestId("user-list").Locator($"[data-testid=user-item][data-email='{email}']").First;

    public Task OpenAsync() => GotoAsync("/admin/users");

    public async Task CreateAsync(string email, string firstName, string lastName, string role, string password)
    {
        await Step.RunAsync(Page, "the new-user form (Email, Имя, Фамилия, Роль, Пароль, user-create-button)", async () =>
        {
            await Page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
            await Page.GetByLabel("Имя", new() { Exact = true }).FillAsync(firstName);
            await Page.GetByLabel("Фамилия", new() { Exact = true }).FillAsync(lastName);
            await Page.GetByLabel("Роль", new() { Exact = true }).SelectOptionAsync(role);
            await Page.GetByLabel("Пароль", new() { Exact = true }).FillAsync(password);
            await Page.GetByTestId("user-create-button").ClickAsync();
        });
        await ExpectToastAsync("Пользователь создан", $"the toast 'Пользователь создан' after creating {email}");
        await FindAsync(email);
        await ExpectStatusAsync(email, "активен");
    }

    public Task FindAsync(string email) => Step.RunAsync(Page, $"{email} in the user list (user-search, user-item)", async () =>
    {
        await Page.GetByTestId("user-search").FillAsync(email);
        await Expect(Row(email)).ToBeVisibleAsync();
    });

    public async Task DeactivateAsync(string email)
    {
        await Step.RunAsync(Page, $"the deactivate button (user-deactivate-button) of {email}", () => Row(email).GetByTestId("user-deactivate-button").ClickAsync());
        await ExpectToastAsync("Пользователь деактивирован", $"the toast 'Пользователь деактивирован' for {email}");
        await ExpectStatusAsync(email, "отключён");
    }

    public Task ExpectStatusAsync(string email, string status) => Step.RunAsync(Page, $"{email} shown as '{status}' (user-status)",
        () => Expect(Row(email).GetByTestId("user-status")).ToHaveTextAsync(status));
}

/// <summary>/admin/monitoring: overall status, one card per component, the metrics summary.</summary>
public sealed class MonitoringPage(IPage page) : AppShell(page)
{
    public Task OpenAsync() => GotoAsync("/admin/monitoring");

    public Task ExpectHealthyAsync() => Step.RunAsync(Page, "the monitoring view to report the system 'healthy' (system-status-value)",
        () => Expect(Page.GetByTestId("system-status-value")).ToHaveTextAsync("healthy"));

    public Task ExpectComponentsAsync(params string[] components) => Step.RunAsync(Page,
        $"a status card for each of {string.Join(", ", components)} (component-<name>)", async () =>
        {
            foreach (var c in components) await Expect(Page.GetByTestId($"component-{c}")).ToBeVisibleAsync();
        });

    /// <summary>Generates the system report; returns the line with the user count.</summary>
    public async Task<string> GenerateReportAsync()
    {
        await Step.RunAsync(Page, "the system report button (admin-report-button, \"Сформировать отчёт\")",
            () => Page.GetByTestId("admin-report-button").ClickAsync());
        await ExpectToastAsync("Отчёт сформирован", "the toast 'Отчёт сформирован' after generating the system report");
        return await Step.RunAsync(Page, "the generated report (admin-report) with the number of users",
            async () =>
            {
                await Expect(Page.GetByTestId("admin-report-users")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Пользователей: \d+"));
                return (await Page.GetByTestId("admin-report-users").TextContentAsync())!;
            });
    }

    public Task ExpectMetricsAsync() => Step.RunAsync(Page, "the metrics summary (metrics-summary) with request counts",
        () => Expect(Page.GetByTestId("metrics-summary")).ToContainTextAsync("Запросов:"));
}
