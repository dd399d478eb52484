using System.Text.RegularExpressions;
using Gate.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gate.Uat.Pages;

/// <summary>/auth/signin: test ids login-email-input, login-password-input, login-submit-button; toasts (contract §10).</summary>
public sealed class SignInPage(IPage page) : AppShell(page)
{
    public const string SuccessToast = "Вход выполнен успешно!";
    public const string WrongCredentialsToast = "Неверный логин или пароль";

    /// <summary>Dashboard headings by role (contract §10; admin: the reference frontend's).</summary>
    public static Regex Heading(string role) => role switch
    {
        "teacher" => new Regex("^Личный кабинет преподавателя$"),
        "parent" => new Regex("^Личный кабинет родителя$"),
        "admin" => new Regex("^Панель администратора$"),
        _ => new Regex("^Привет, .+! 👋$"),
    };

    public ILocator Email => Page.GetByTestId("login-email-input");
    public ILocator Password => Page.GetByTestId("login-password-input");
    public ILocator Submit => Page.GetByTestId("login-submit-button");

    public Task OpenAsync() => GotoAsync("/auth/signin");

    public Task SubmitAsync(string login, string password) => Step.RunAsync(Page, "the sign-in form (login-email-input, login-password-input, login-submit-button)", async () =>
    {
        await Email.FillAsync(login);
        await Password.FillAsync(password);
        await Submit.ClickAsync();
    });

    /// <summary>
    /// Signs in and expects success: the role's dashboard with its heading, and the success toast
    /// (shown briefly before the redirect; the page records it, see <see cref="AppShell.ToastRecorder"/>).
    /// </summary>
    public async Task SignInAsync(string login, string password, string role)
    {
        await SubmitAsync(login, password);
        await ExpectToastAsync(SuccessToast, $"the toast '{SuccessToast}' after signing in as {role}");
        await ExpectSignedInAsync(role);
    }

    /// <summary>The role's dashboard with its heading.</summary>
    public async Task ExpectSignedInAsync(string role)
    {
        await ExpectPathAsync($"/dashboard/{role}", $"sign-in to land on /dashboard/{role}");
        await Step.RunAsync(Page, $"the {role} dashboard heading {Heading(role)}",
            () => Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Heading(role)));
    }

    /// <summary>A refused sign-in: an error toast and no dashboard.</summary>
    public async Task ExpectRefusedAsync(Regex toast, string who)
    {
        await Step.RunAsync(Page, $"sign-in as {who} to be refused with an error toast matching {toast}",
            () => Expect(Toasts.Filter(new() { HasTextRegex = toast })).ToHaveCountAsync(1));
        await ExpectPathAsync("/auth/signin", $"a refused sign-in as {who} to stay on /auth/signin");
    }
}
