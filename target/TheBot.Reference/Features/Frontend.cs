using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>The web frontend's server-rendered pages (the React app's routes and test ids).</summary>
public static class Frontend
{
    public static void MapFrontend(this WebApplication app, PlatformOptions options)
    {
        app.MapGet("/", () => options.Faults.Has(Fault.FrontendBroken)
            ? Results.Text("<html><body>502 Bad Gateway</body></html>", "text/html; charset=utf-8", statusCode: 502)
            : Page("THE_BOT", """
                <main><h1>THE_BOT</h1><p>Образовательная платформа.</p>
                <p><a href="/auth/signin">Войти</a></p></main>
                """));

        app.MapGet("/auth/signin", () => Page("Вход — THE_BOT", """
            <main><h1>Вход</h1>
            <form id="login-form">
              <label for="email">Email</label>
              <input id="email" name="email" data-testid="login-email-input" autocomplete="username">
              <label for="password">Пароль</label>
              <input id="password" name="password" type="password" data-testid="login-password-input" autocomplete="current-password">
              <button type="submit" data-testid="login-submit-button">Войти</button>
            </form></main>
            """));
    }

    public static IResult Page(string title, string body, int status) => Results.Text($"""
        <!doctype html>
        <html lang="ru"><head><meta charset="utf-8"><title>{title}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body>{body}</body></html>
        """, "text/html; charset=utf-8", statusCode: status);

    public static IResult Page(string title, string body) => Results.Text($"""
        <!doctype html>
        <html lang="ru"><head><meta charset="utf-8"><title>{title}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body>{body}</body></html>
        """, "text/html; charset=utf-8");
}
