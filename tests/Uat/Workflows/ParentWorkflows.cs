using Gate.Browser;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Uat.Pages;
using static Microsoft.Playwright.Assertions;

namespace Gate.Uat.Workflows;

/// <summary>Checklist 14.2, parent: children and their progress, payments through the provider, reports.</summary>
public sealed class ParentWorkflows(GateEnvironment environment, BrowserHost host) : UatCheck(environment, host)
{
    [Check("UAT-012", "14.2", Severity = Severity.High)]
    public async Task Parent_sees_children_and_their_progress()
    {
        await LeaseAsync("parent");
        var parent = await AsAsync("parent", "/dashboard/parent");
        var child = await FirstNameInAsync(parent, "/api/parent/children/", null);

        await parent.Shell.ExpectSidebarAsync("Главная", "Мои дети", "История платежей", "Счета", "Статистика", "Отчёты", "Чат");
        await Step.RunAsync(parent.Page, $"'{child}' in the parent's children list (children-list / child-item)",
            () => Expect(parent.Page.GetByTestId("child-item").Filter(new() { HasText = child })).ToBeVisibleAsync());
        await parent.Shell.OpenSidebarAsync("Мои дети");
        await new ProgressPage(parent.Page).ExpectProgressOfAsync(child);
    }

    [Check("UAT-013", "14.2, 15.3", Severity = Severity.Critical)]
    public async Task Parent_pays_through_the_provider_sandbox_and_sees_it_in_history()
    {
        RequireWrites();
        await LeaseAsync("parent");
        var parent = await AsAsync("parent", "/dashboard/parent");
        var child = await FirstNameInAsync(parent, "/api/parent/children/", null);
        var amount = 1000m + Random.Shared.Next(1, 99_999) / 100m;

        await parent.Shell.OpenSidebarAsync("История платежей");
        var payments = new PaymentsPage(parent.Page);
        await payments.StartForChildAsync(child, amount, Tagged("UAT оплата занятий"));
        LeftBehind($"a sandbox payment of {amount:0.00} ₽");
        var sandbox = new PaymentSandboxPage(parent.Page);
        var paymentId = await sandbox.ExpectAsync(amount);
        await sandbox.PayAsync();

        await parent.Shell.ExpectPathAsync("/payments", "the provider to send the payer back to /payments");
        await payments.ExpectInHistoryAsync(paymentId, amount, "succeeded");
        await parent.Page.ReloadAsync();
        await payments.ExpectInHistoryAsync(paymentId, amount, "succeeded");
    }

    [Check("UAT-014", "14.2", Severity = Severity.Medium)]
    public async Task Parent_reads_reports()
    {
        await LeaseAsync("parent");
        var parent = await AsAsync("parent", "/dashboard/parent");

        await parent.Shell.OpenSidebarAsync("Отчёты");
        await parent.Shell.ExpectPathAsync("/reports", "the sidebar's Отчёты to open /reports");
        await Step.RunAsync(parent.Page, "at least one report about the parent's child (report-item)",
            () => Expect(parent.Page.GetByTestId("report-item").First).ToBeVisibleAsync());
        await new ReportsPage(parent.Page).ExpectReadableReportAsync();
    }
}
