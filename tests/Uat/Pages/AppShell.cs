using System.Text.RegularExpressions;
using Gate.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gate.Uat.Pages;

/// <summary>What every signed-in page has: header (user name, logout), sidebar, toasts (contract §10).</summary>
public class AppShell(IPage page)
{
    public IPage Page { get; } = page;

    /// <summary>Init script: records the text of every toast (data-testid=toast) in sessionStorage 'uat.toasts'.</summary>
    public const string ToastRecorder = """
        (() => {
          const seen = (node) => {
            if (!(node instanceof Element)) return;
            for (const t of [node, ...node.querySelectorAll('[data-testid=toast]')])
              if (t.dataset && t.dataset.testid === 'toast' && !t.dataset.uatSeen) {
                t.dataset.uatSeen = '1';
                const all = JSON.parse(sessionStorage.getItem('uat.toasts') || '[]');
                all.push(t.textContent);
                sessionStorage.setItem('uat.toasts', JSON.stringify(all));
              }
          };
          new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(seen)))
            .observe(document, { childList: true, subtree: true });
        })();
        """;

    public ILocator Sidebar => Page.GetByTestId("sidebar");
    public ILocator Toasts => Page.GetByTestId("toast");
    public ILocator LogoutButton => Page.GetByTestId("logout-button");

    /// <summary>Opens a path of the frontend; a page that does not load (5xx, 4xx) fails with its status.</summary>
    public async Task GotoAsync(string path)
    {
        var response = await Step.RunAsync(Page, $"{path} to load", () => Page.GotoAsync(path));
        if (response is not null && response.Status >= 400)
            Xunit.Assert.Fail($"expected {path} to load (HTTP 200); found HTTP {response.Status} {response.StatusText}; at {response.Url}");
    }

    /// <summary>
    /// Waits until the tab has shown a toast containing <paramref name="text"/> (recorded, so a
    /// toast followed at once by a redirect still counts); on failure, names the toasts it did show.
    /// </summary>
    public async Task ExpectToastAsync(string text, string expectation)
    {
        try
        {
            await Page.WaitForFunctionAsync("t => JSON.parse(sessionStorage.getItem('uat.toasts') || '[]').some(x => x.includes(t))", text);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            var shown = await ShownToastsAsync();
            Xunit.Assert.Fail($"expected {expectation}; found {(shown.Count == 0 ? "no toast" : $"only the toasts \"{string.Join("\" / \"", shown)}\"")}; at {Page.Url}");
        }
    }

    /// <summary>The toasts this tab has shown so far, including those a redirect has since removed.</summary>
    public async Task<IReadOnlyList<string>> ShownToastsAsync()
    {
        try { return await Page.EvaluateAsync<string[]>("() => JSON.parse(sessionStorage.getItem('uat.toasts') || '[]')"); }
        catch (PlaywrightException) { return []; }
    }

    public Task ExpectSidebarAsync(params string[] labels) => Step.RunAsync(Page, $"the sidebar to offer {string.Join(", ", labels)}",
        async () =>
        {
            foreach (var label in labels)
                await Expect(Sidebar.GetByRole(AriaRole.Link, new() { Name = label, Exact = true })).ToBeVisibleAsync();
        });

    public Task OpenSidebarAsync(string label) => Step.RunAsync(Page, $"the sidebar link '{label}' to open its page",
        () => Sidebar.GetByRole(AriaRole.Link, new() { Name = label, Exact = true }).ClickAsync());

    public Task ExpectPathAsync(string path, string expectation) => Step.RunAsync(Page, expectation,
        () => Expect(Page).ToHaveURLAsync(new Regex($"^[^?#]*{Regex.Escape(path)}([?#].*)?$")));

    public async Task LogoutAsync()
    {
        await Step.RunAsync(Page, "the header's logout button (logout-button) to sign out", () => LogoutButton.ClickAsync());
        await ExpectPathAsync("/auth/signin", "logout to return to the sign-in page /auth/signin");
    }
}
