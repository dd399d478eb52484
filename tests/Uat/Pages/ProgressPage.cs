using System.Text.RegularExpressions;
using Gate.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gate.Uat.Pages;

/// <summary>/progress: one progress-item per subject (student) or per student/child (teacher, tutor, parent).</summary>
public sealed class ProgressPage(IPage page) : AppShell(page)
{
    private static readonly Regex Percent = new(@"\d+(\.\d+)?%");

    public ILocator Items => Page.GetByTestId("progress-item");

    public Task ExpectProgressOfAsync(string who) => Step.RunAsync(Page, $"a progress row (progress-item) for '{who}' with a percentage",
        () => Expect(Items.Filter(new() { HasText = who }).First).ToHaveTextAsync(Percent));
}
