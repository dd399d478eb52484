using System.Globalization;
using System.Text.RegularExpressions;
using Gate.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gate.Uat.Pages;

/// <summary>/payments: the payment form (a parent picks a child) and the history (payment-history / payment-item).</summary>
public sealed class PaymentsPage(IPage page) : AppShell(page)
{
    public ILocator HistoryItem(string paymentId) => Page.GetByTestId("payment-history").Locator($"[data-testid=payment-item][data-id='{paymentId}']");

    public Task OpenAsync() => GotoAsync("/payments");

    /// <summary>The amount in rubles as the pages print it: 1421 ₽, 1421.5 ₽ or 1421.50 ₽ all mean 1421.50.</summary>
    public static Regex Amount(decimal amount)
    {
        var whole = decimal.Truncate(amount).ToString(CultureInfo.InvariantCulture);
        var cents = amount.ToString("0.00", CultureInfo.InvariantCulture)[^2..].TrimEnd('0');
        var fraction = cents.Length == 0 ? @"(\.0{1,2})?" : $@"\.{cents}{(cents.Length == 1 ? "0?" : "")}";
        return new Regex($@"^\s*{whole}{fraction}\s*₽\s*$");
    }

    /// <summary>Starts a payment for a child; lands on the provider's sandbox page.</summary>
    public async Task StartForChildAsync(string child, decimal amount, string description)
    {
        await Step.RunAsync(Page, "the payment form (Ребёнок, Сумма, Описание, payment-start-button)", async () =>
        {
            await Page.GetByLabel("Ребёнок").SelectOptionAsync(new SelectOptionValue { Label = child });
            await Page.GetByLabel("ФИО плательщика").FillAsync("UAT Родитель");
            await Page.GetByLabel("Сумма, ₽").FillAsync(amount.ToString("0.00", CultureInfo.InvariantCulture));
            await Page.GetByLabel("Описание").FillAsync(description);
            await Page.GetByTestId("payment-start-button").ClickAsync();
        });
    }

    public Task ExpectInHistoryAsync(string paymentId, decimal amount, string status) => Step.RunAsync(Page,
        $"payment {paymentId} in the history (payment-item) with amount {amount:0.00} and status '{status}'", async () =>
        {
            var row = HistoryItem(paymentId);
            await Expect(row.GetByTestId("payment-status")).ToHaveTextAsync(status);
            await Expect(row.GetByTestId("payment-amount")).ToHaveTextAsync(Amount(amount));
        });
}

/// <summary>The payment provider's sandbox page (/payments/sandbox/&lt;id&gt;): amount, status, pay button.</summary>
public sealed class PaymentSandboxPage(IPage page) : AppShell(page)
{
    /// <summary>Waits for the sandbox; returns the payment id from its URL.</summary>
    public async Task<string> ExpectAsync(decimal amount)
    {
        await Step.RunAsync(Page, $"the provider sandbox page (payment-sandbox) asking for {amount:0.00} ₽", async () =>
        {
            await Expect(Page.GetByTestId("payment-sandbox")).ToBeVisibleAsync();
            await Expect(Page.GetByTestId("payment-amount")).ToHaveTextAsync(PaymentsPage.Amount(amount));
        });
        return Page.Url.Split('?')[0].TrimEnd('/').Split('/')[^1];
    }

    public Task PayAsync() => Step.RunAsync(Page, "the sandbox's pay button (payment-pay-button) to confirm the payment",
        () => Page.GetByTestId("payment-pay-button").ClickAsync());
}
