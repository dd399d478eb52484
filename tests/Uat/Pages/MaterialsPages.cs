using Gate.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gate.Uat.Pages;

/// <summary>/materials: the list (material-item, material-link) and, for teachers, the create link.</summary>
public sealed class MaterialsPage(IPage page) : AppShell(page)
{
    public ILocator Items => Page.GetByTestId("material-item");
    public ILocator Item(string title) => Items.Filter(new() { HasText = title });

    public Task OpenAsync() => GotoAsync("/materials");

    public Task ExpectListedAsync(string title) => Step.RunAsync(Page, $"the material '{title}' in the list at /materials",
        () => Expect(Item(title)).ToBeVisibleAsync());

    /// <summary>Opens the first listed material; returns its title as the list shows it.</summary>
    public async Task<string> OpenFirstAsync()
    {
        var link = Items.First.GetByTestId("material-link");
        var title = await Step.RunAsync(Page, "at least one material (material-item) at /materials", async () =>
        {
            await Expect(link).ToBeVisibleAsync();
            return (await link.TextContentAsync())!.Trim();
        });
        await Step.RunAsync(Page, $"the material link '{title}' to open", () => link.ClickAsync());
        return title;
    }
}

/// <summary>/materials/&lt;id&gt;: title, content, download link, the student's answer form.</summary>
public sealed class MaterialPage(IPage page) : AppShell(page)
{
    public ILocator Title => Page.GetByTestId("material-title");
    public ILocator Content => Page.GetByTestId("material-content");
    public ILocator DownloadLink => Page.GetByTestId("material-download-link");

    public Task ExpectAsync(string title) => Step.RunAsync(Page, $"the material page to show the title '{title}' and its content", async () =>
    {
        await Expect(Title).ToHaveTextAsync(title);
        await Expect(Content).Not.ToBeEmptyAsync();
    });

    /// <summary>Clicks the download link and returns the downloaded bytes.</summary>
    public async Task<byte[]> DownloadAsync()
    {
        var download = await Step.RunAsync(Page, "the material's download link (material-download-link) to deliver a file",
            () => Page.RunAndWaitForDownloadAsync(() => DownloadLink.ClickAsync()));
        var path = Path.Combine(Path.GetTempPath(), $"uat-download-{Guid.NewGuid():N}");
        try
        {
            await download.SaveAsAsync(path);
            return await File.ReadAllBytesAsync(path);
        }
        finally { File.Delete(path); }
    }
}

/// <summary>/materials/new: the teacher's create form (labels Название, Содержание, Предмет, Статус, Файл).</summary>
public sealed class NewMaterialPage(IPage page) : AppShell(page)
{
    public Task OpenAsync() => GotoAsync("/materials/new");

    /// <summary>Fills and submits the form; returns the new material's id from the page it lands on.</summary>
    public async Task<int> CreateAsync(string title, string content, FilePayload? file = null, bool isPublic = false)
    {
        await Step.RunAsync(Page, "the new-material form (Название, Содержание, Предмет, Статус, Файл)", async () =>
        {
            await Page.GetByLabel("Название").FillAsync(title);
            await Page.GetByLabel("Описание").FillAsync("UAT");
            await Page.GetByLabel("Содержание").FillAsync(content);
            await Expect(Page.GetByLabel("Предмет").Locator("option")).Not.ToHaveCountAsync(0);
            await Page.GetByLabel("Статус").SelectOptionAsync("active");
            if (isPublic) await Page.GetByLabel("Публичный").CheckAsync();
            if (file is not null) await Page.GetByLabel("Файл (до 50 МБ)").SetInputFilesAsync(file);
            await Page.GetByTestId("material-submit-button").ClickAsync();
        });
        await ExpectToastAsync("Материал создан", $"the toast 'Материал создан' after creating '{title}'");
        var material = new MaterialPage(Page);
        await Step.RunAsync(Page, $"the new material's page /materials/<id> titled '{title}'",
            () => Expect(material.Title).ToHaveTextAsync(title));
        return int.Parse(Page.Url.Split('?')[0].TrimEnd('/').Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
