using Gate.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gate.Uat.Pages;

/// <summary>/reports: report-list/report-item; for teachers and tutors the create form and the generate button.</summary>
public sealed class ReportsPage(IPage page) : AppShell(page)
{
    public ILocator Items => Page.GetByTestId("report-item");
    public ILocator Item(string title) => Items.Filter(new() { HasText = title });

    public Task OpenAsync() => GotoAsync("/reports");

    public async Task CreateAsync(string title, string type)
    {
        await Step.RunAsync(Page, "the new-report form (Название, Тип, С, По)", async () =>
        {
            await Page.GetByLabel("Название").FillAsync(title);
            await Page.GetByLabel("Тип").SelectOptionAsync(type);
            await Page.GetByLabel("С", new() { Exact = true }).FillAsync(DateTime.Today.AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            await Page.GetByLabel("По", new() { Exact = true }).FillAsync(DateTime.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            await Page.GetByTestId("report-create-button").ClickAsync();
        });
        await ExpectToastAsync("Отчёт создан", $"the toast 'Отчёт создан' after creating '{title}'");
        await Step.RunAsync(Page, $"the report '{title}' in the list (report-item)", () => Expect(Item(title)).ToBeVisibleAsync());
    }

    public async Task GenerateAsync(string title)
    {
        var item = Item(title);
        await Step.RunAsync(Page, $"the generate button (report-generate-button) of '{title}'", () => item.GetByTestId("report-generate-button").ClickAsync());
        await ExpectToastAsync("Отчёт сформирован", $"the toast 'Отчёт сформирован' after generating '{title}'");
        await Step.RunAsync(Page, $"the generated content (report-content) of '{title}'", () => Expect(item.GetByTestId("report-content")).ToContainTextAsync("summary"));
    }

    /// <summary>A report anyone can read: the first one with generated content.</summary>
    public Task ExpectReadableReportAsync() => Step.RunAsync(Page, "at least one report with content (report-item / report-content) at /reports",
        () => Expect(Items.GetByTestId("report-content").Filter(new() { HasText = "summary" }).First).ToBeVisibleAsync());
}
