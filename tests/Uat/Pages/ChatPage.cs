using Gate.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gate.Uat.Pages;

/// <summary>/chat: contacts-list/contact-item, chat-list/chat-item, chat-window with chat-header and the live connection.</summary>
public sealed class ChatPage(IPage page) : AppShell(page)
{
    public ILocator Window => Page.GetByTestId("chat-window");
    public ILocator Header => Page.GetByTestId("chat-header");
    public ILocator Messages => Page.GetByTestId("chat-message-content");

    public Task OpenAsync() => GotoAsync("/chat");

    /// <summary>Opens (or creates) the chat with a contact, found by name in contacts-list.</summary>
    public async Task OpenWithAsync(string contactName)
    {
        await Step.RunAsync(Page, $"'{contactName}' in the contacts list (contacts-list / contact-item)", () =>
            Page.GetByTestId("contacts-list").GetByTestId("contact-item").Filter(new() { HasText = contactName }).First.ClickAsync());
        await Step.RunAsync(Page, $"the chat window (chat-window) with '{contactName}' in its header (chat-header)", async () =>
        {
            await Expect(Window).ToBeVisibleAsync();
            await Expect(Header).ToHaveTextAsync(contactName);
        });
    }

    /// <summary>The window's live WebSocket connection is authenticated (the frontend sets data-connected).</summary>
    public Task ExpectLiveAsync() => Step.RunAsync(Page, "the chat window to connect live over WebSocket (/ws/chat/<id>/ answering auth_success)",
        () => Expect(Window).ToHaveAttributeAsync("data-connected", "true"));

    public Task SendAsync(string text) => Step.RunAsync(Page, "the message box (chat-message-input, chat-send-button)", async () =>
    {
        await Page.GetByTestId("chat-message-input").FillAsync(text);
        await Page.GetByTestId("chat-send-button").ClickAsync();
    });

    /// <summary>A whole conversation step: open the chat with a contact, connect live, send, see the message as typed.</summary>
    public async Task SayAsync(string contactName, string text)
    {
        await OpenWithAsync(contactName);
        await ExpectLiveAsync();
        await SendAsync(text);
        await ExpectMessageAsync(text, $"the sent message, shown exactly as typed, in the chat with {contactName}");
    }

    public Task ExpectMessageAsync(string text, string expectation, float? timeoutMs = null) => Step.RunAsync(Page, expectation,
        () => Expect(Messages.Filter(new() { HasText = text })).ToHaveCountAsync(1, new() { Timeout = timeoutMs }));
}
