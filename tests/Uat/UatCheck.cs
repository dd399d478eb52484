using System.Collections.Concurrent;
using System.Text.Json;
using Gate.Browser;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Settings;
using Gate.Uat.Pages;
using Microsoft.Playwright;
using RestSharp;

namespace Gate.Uat;

/// <summary>A user signed in through the browser: the page, and the API token the frontend holds.</summary>
public sealed record SignedIn(string Account, IPage Page, string Token, int UserId, string FullName)
{
    public AppShell Shell => new(Page);
}

/// <summary>
/// Base of the UAT checks. Users sign in through the sign-in form; the resulting browser state
/// (session cookie, the token the frontend keeps in sessionStorage) is reused by later checks of
/// the same account, because THE_BOT keeps one token per user and throttles sign-in to 5 per
/// minute per account. Accounts are leased (<see cref="AccountLeases"/>) so no two parallel checks
/// ever act as the same user.
/// </summary>
public abstract class UatCheck(GateEnvironment environment, BrowserHost host) : BrowserCheck(environment, host)
{
    private sealed record SavedState(string Token, string UserJson, int UserId, string FullName, IReadOnlyList<Cookie> Cookies);

    private static readonly ConcurrentDictionary<string, SavedState> Saved = new(StringComparer.Ordinal);

    /// <summary>Failure messages quote the toasts the tab showed, even those already gone.</summary>
    static UatCheck() => Step.Notices = page => new AppShell(page).ShownToastsAsync();

    protected Credential CredentialFor(string role) => Require.Value(Settings.Credentials.For(role),
        $"no credentials for role '{role}' (set GATE_{role.ToUpperInvariant()}_EMAIL and GATE_{role.ToUpperInvariant()}_PASSWORD or GATE_CREDENTIALS_FILE)");

    /// <summary>
    /// The first of <paramref name="accounts"/> with credentials (e.g. teacher2, else teacher):
    /// checks spread over the test accounts so fewer of them queue for the same lease.
    /// </summary>
    protected string Account(params string[] accounts)
    {
        var found = accounts.FirstOrDefault(a => Settings.Credentials.For(a) is not null);
        Require.That(found is not null, $"no credentials for any of the accounts {string.Join(", ", accounts)} (set GATE_<ACCOUNT>_EMAIL and GATE_<ACCOUNT>_PASSWORD)");
        return found!;
    }

    /// <summary>Write workflows run on the embedded default, elsewhere only with GATE_ALLOW_WRITES=true.</summary>
    protected void RequireWrites() => Require.That(Settings.IsEmbedded || Settings.AllowWrites,
        $"this workflow creates data on {Settings.BaseUrl}; set GATE_ALLOW_WRITES=true to run it (records carry the run id {Settings.RunId}; those the API can delete are removed afterwards, the others are named in warnings)");

    /// <summary>A name for something this check creates: carries the run id, so leftovers can be traced to a run.</summary>
    protected string Tagged(string what) => $"{what} [{Settings.RunId}]";

    /// <summary>The role of a test account: student2 is a student, teacher2 a teacher.</summary>
    protected static string RoleOf(string account) => account.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');

    /// <summary>Signs <paramref name="account"/> in through the sign-in form in a new browser context (the account must be leased).</summary>
    protected async Task<SignedIn> SignInAsync(string account, string? label = null)
    {
        var credential = CredentialFor(account);
        var page = await NewPageAsync(label ?? account);
        var signIn = new SignInPage(page);
        await signIn.OpenAsync();
        await signIn.SignInAsync(credential.Login, credential.Password, RoleOf(account));
        var state = await CaptureAsync(page);
        Saved[account] = state;
        return new SignedIn(account, page, state.Token, state.UserId, state.FullName);
    }

    /// <summary>
    /// A page signed in as <paramref name="account"/>: this run's browser state for the account when
    /// there is one, else a sign-in through the form. Opens <paramref name="path"/>.
    /// </summary>
    protected async Task<SignedIn> AsAsync(string account, string path, string? label = null)
    {
        SignedIn user;
        if (Saved.TryGetValue(account, out var state))
        {
            var origin = Settings.BaseUrl!.GetLeftPart(UriPartial.Authority);
            var page = await NewPageAsync(label ?? account, async context =>
            {
                await context.AddCookiesAsync(state.Cookies);
                // sessionStorage is per tab and not part of Playwright's storage state: put it back once.
                await context.AddInitScriptAsync($$"""
                    (() => {
                      if (location.origin !== {{JsonSerializer.Serialize(origin)}} || sessionStorage.getItem('thebot.restored')) return;
                      sessionStorage.setItem('thebot.restored', '1');
                      sessionStorage.setItem('thebot.token', {{JsonSerializer.Serialize(state.Token)}});
                      sessionStorage.setItem('thebot.user', {{JsonSerializer.Serialize(state.UserJson)}});
                    })();
                    """);
            });
            user = new SignedIn(account, page, state.Token, state.UserId, state.FullName);
        }
        else user = await SignInAsync(account, label);
        await user.Shell.GotoAsync(path);
        return user;
    }

    /// <summary>
    /// A new browser context and page that remembers every toast it showed (in the tab's
    /// sessionStorage, so a toast shown just before a redirect can still be checked after it).
    /// </summary>
    protected Task<IPage> NewPageAsync(string label, Func<IBrowserContext, Task>? prepare = null) => Browser.NewPageAsync(label, async context =>
    {
        await context.AddInitScriptAsync(AppShell.ToastRecorder);
        if (prepare is not null) await prepare(context);
    });

    /// <summary>Forgets the reusable state of an account whose token this check ended (logout, deactivation).</summary>
    protected static void Forget(string account) => Saved.TryRemove(account, out _);

    private static async Task<SavedState> CaptureAsync(IPage page)
    {
        var token = await page.EvaluateAsync<string?>("() => sessionStorage.getItem('thebot.token')");
        if (token is null) Xunit.Assert.Fail($"expected the signed-in frontend to keep its API token in sessionStorage ('thebot.token'); found none; at {page.Url}");
        Redactor.AddSecret(token);
        var userJson = await page.EvaluateAsync<string?>("() => sessionStorage.getItem('thebot.user')") ?? "{}";
        using var user = JsonDocument.Parse(userJson);
        var id = user.RootElement.TryGetProperty("id", out var i) && i.TryGetInt32(out var n) ? n : 0;
        var name = $"{Str(user.RootElement, "first_name")} {Str(user.RootElement, "last_name")}".Trim();
        var cookies = (await page.Context.CookiesAsync()).Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Expires = c.Expires,
            HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }).ToList();
        return new SavedState(token!, userJson, id, name, cookies);
    }

    private static string Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    // ---- API calls for set-up and clean-up, with the signed-in user's own token ----

    protected Task<ApiResponse> ApiGetAsync(SignedIn user, string path) => Api.GetAsync(path, user.Token, ct: Cancellation);

    protected Task<ApiResponse> ApiPostAsync(SignedIn user, string path, object body) => Api.PostJsonAsync(path, body, user.Token, ct: Cancellation);

    /// <summary>The full name of a chat contact of <paramref name="role"/> (GET /api/chat/contacts/), to find in the UI.</summary>
    protected async Task<string> ContactAsync(SignedIn user, string role)
    {
        var contacts = await ApiGetAsync(user, "/api/chat/contacts/");
        var names = contacts.Json is { } json && json.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array
            ? results.EnumerateArray().Where(c => Str(c, "role") == role).Select(c => Str(c, "full_name")).Where(n => n.Length > 0).ToList()
            : [];
        if (names.Count == 0)
            Xunit.Assert.Fail($"expected {user.Account} {user.FullName} to have a {role} among their chat contacts; found none at {contacts.Url} ({contacts.Describe(200)})");
        return names[0];
    }

    /// <summary>
    /// The full_name of the first person an API view lists for this user (the array under
    /// <paramref name="property"/>, or the body itself): what the page must then show.
    /// </summary>
    protected async Task<string> FirstNameInAsync(SignedIn user, string path, string? property)
    {
        var response = await ApiGetAsync(user, path);
        var list = response.Json is { } json
            ? property is null ? json : json.TryGetProperty(property, out var p) ? p : default
            : default;
        var name = list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().Select(e => Str(e, "full_name")).FirstOrDefault(n => n.Length > 0) : null;
        if (name is null)
            Xunit.Assert.Fail($"expected {user.Account} {user.FullName} to have at least one person listed at {response.Url}; found: {response.Describe(200)}");
        return name!;
    }

    /// <summary>A small file with random content, for byte-exact upload/download comparisons.</summary>
    protected FilePayload RandomFile(string stem, string extension = ".pdf")
    {
        var bytes = new byte[4096 + Random.Shared.Next(4096)];
        Random.Shared.NextBytes(bytes);
        "%PDF-1.4\n"u8.CopyTo(bytes);
        return new FilePayload { Name = $"{stem}-{SafeRunId}{extension}", MimeType = extension == ".pdf" ? "application/pdf" : "application/octet-stream", Buffer = bytes };
    }

    /// <summary>The run id in a form fit for file names and e-mail local parts.</summary>
    protected string SafeRunId => new(Settings.RunId.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());

    /// <summary>
    /// Records that something this check created cannot be removed through the platform's API
    /// (the contract has no delete for it): harmless on the embedded default, a warning elsewhere.
    /// </summary>
    protected void LeftBehind(string what)
    {
        if (!Settings.IsEmbedded)
            Xunit.TestContext.Current.AddWarning($"{what} stays on {Settings.BaseUrl} (no delete in the API), tagged {Settings.RunId}");
    }

    /// <summary>Registers the removal of an object through its DELETE endpoint.</summary>
    protected void DeleteAfterwards(SignedIn owner, string what, string path) => DeleteAfterwards(() => owner, what, path);

    /// <summary>As above, for a check that signs the owner in again: the clean-up uses the owner's token at the end.</summary>
    protected void DeleteAfterwards(Func<SignedIn> owner, string what, string path) => CleanUp(what, async () =>
    {
        var response = await Api.SendAsync(Method.Delete, path, owner().Token, null, null, CancellationToken.None);
        if (response.Status is not (204 or 200 or 404)) throw new InvalidOperationException($"DELETE {response.Url} answered {response.Describe(120)}");
    });
}
