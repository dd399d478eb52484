using System.Reflection;
using TheBot.Reference.Data;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>
/// The web frontend: server-rendered HTML shells plus one script (/static/app.js, no inline
/// script, so the CSP needs no 'unsafe-inline' for scripts). Routes and test ids follow
/// contract §10; the rest are documented in target/README.md.
/// </summary>
public static class Frontend
{
    private static readonly string[] Roles = ["student", "teacher", "tutor", "parent", "admin"];

    public static void MapFrontend(this WebApplication app, PlatformOptions options)
    {
        var faults = options.Faults;
        var script = Resource("app.js");
        var style = Resource("app.css");
        var unsafeHtml = faults.Has(Fault.StoredXss) ? "true" : "false";

        // frontend-broken: the frontend container is down; nginx answers 502 for every page.
        app.Use(async (ctx, next) =>
        {
            var path = ctx.Request.Path.Value ?? "/";
            if (faults.Has(Fault.FrontendBroken) && !path.StartsWith("/api/", StringComparison.Ordinal) && !path.StartsWith("/ws/", StringComparison.Ordinal)
                && !path.StartsWith("/media/", StringComparison.Ordinal) && !path.StartsWith("/payments/sandbox/", StringComparison.Ordinal) && path != "/health")
            {
                ctx.Response.StatusCode = 502;
                ctx.Response.ContentType = "text/html; charset=utf-8";
                await ctx.Response.WriteAsync("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>");
                return;
            }
            await next(ctx);
        });

        app.MapGet("/favicon.ico", () => Results.StatusCode(204));
        app.MapGet("/static/app.js", () => Results.Text(script, "text/javascript; charset=utf-8"));
        app.MapGet("/static/app.css", () => Results.Text(style, "text/css; charset=utf-8"));

        app.MapGet("/", (HttpContext ctx) => Public(ctx, "THE_BOT", "home", """
            <main><h1>THE_BOT</h1><p>Образовательная платформа для учеников, родителей, преподавателей и тьюторов.</p>
            <p><a href="/auth/signin" data-testid="home-signin-link">Войти</a> · <a href="/application" data-testid="home-application-link">Подать заявку</a></p></main>
            """));

        app.MapGet("/auth/signin", (HttpContext ctx) => Public(ctx, "Вход — THE_BOT", "signin", """
            <main><h1>Вход</h1>
            <form id="login-form" class="stack" data-testid="login-form" novalidate>
              <label for="email">Email</label>
              <input id="email" name="email" data-testid="login-email-input" autocomplete="username" placeholder="Email или имя пользователя">
              <label for="password">Пароль</label>
              <input id="password" name="password" type="password" data-testid="login-password-input" autocomplete="current-password">
              <button type="submit" data-testid="login-submit-button">Войти</button>
            </form>
            <p><a href="/application">Подать заявку на обучение</a></p></main>
            """));

        app.MapGet("/application", (HttpContext ctx) => Public(ctx, "Заявка — THE_BOT", "application", """
            <main><h1>Заявка на обучение</h1>
            <form id="application-form" class="stack" data-testid="application-form">
              <label for="a-first">Имя</label><input id="a-first" name="first_name" data-testid="application-first-name-input" required>
              <label for="a-last">Фамилия</label><input id="a-last" name="last_name" data-testid="application-last-name-input" required>
              <label for="a-email">Email</label><input id="a-email" name="email" type="email" data-testid="application-email-input" required>
              <label for="a-phone">Телефон</label><input id="a-phone" name="phone" data-testid="application-phone-input" required>
              <label for="a-type">Кто вы</label><select id="a-type" name="applicant_type" data-testid="application-type-select">
                <option value="student">Ученик</option><option value="parent">Родитель</option><option value="teacher">Преподаватель</option><option value="tutor">Тьютор</option></select>
              <button type="submit" data-testid="application-submit-button">Отправить заявку</button>
            </form><p data-testid="application-result"></p></main>
            """));

        app.MapGet("/unauthorized", (HttpContext ctx) => Public(ctx, "Нет доступа — THE_BOT", "unauthorized", """
            <main><h1 data-testid="unauthorized-heading">Нет доступа</h1><p>У вас нет прав для просмотра этой страницы.</p><p><a href="/auth/signin">Войти под другой учетной записью</a></p></main>
            """, 403));

        app.MapGet("/dashboard/{role}", (HttpContext ctx, string role) => Roles.Contains(role)
            ? App(ctx, "Личный кабинет — THE_BOT", "dashboard", """
                <h1 data-testid="dashboard-heading"></h1><div data-testid="dashboard-content"></div>
                """, $"data-role=\"{role}\"")
            : NotFoundPage(ctx));

        app.MapGet("/materials", (HttpContext ctx) =>
        {
            var search = ctx.Request.Query["search"].ToString();
            // reflected-xss: the search term echoed into the page without escaping.
            var echoed = search.Length == 0 ? "" : faults.Has(Fault.ReflectedXss) ? search : DebugPages.Enc(search);
            return App(ctx, "Материалы — THE_BOT", "materials", $"""
                <h1>Материалы</h1>
                <form method="get" action="/materials" class="stack" data-testid="material-search-form">
                  <label for="m-search">Поиск</label><input id="m-search" name="search" data-testid="material-search">
                  <button type="submit" data-testid="material-search-button">Найти</button>
                </form>
                {(search.Length == 0 ? "" : $"<p data-testid=\"material-search-echo\">Результаты поиска: {echoed}</p>")}
                <p><a href="/materials/new" data-testid="material-create-link" hidden>Создать материал</a></p>
                <div data-testid="material-list"></div>
                """);
        });

        app.MapGet("/materials/new", (HttpContext ctx) => App(ctx, "Новый материал — THE_BOT", "material-create", $"""
            <h1>Новый материал</h1>
            <form id="material-form" class="stack" data-testid="material-form" enctype="multipart/form-data">
              <label for="m-title">Название</label><input id="m-title" name="title" data-testid="material-title-input" required>
              <label for="m-description">Описание</label><input id="m-description" name="description" data-testid="material-description-input">
              <label for="m-content">Содержание</label><textarea id="m-content" name="content" rows="6" data-testid="material-content-input" required></textarea>
              <label for="m-subject">Предмет</label><select id="m-subject" name="subject" data-testid="material-subject-select"></select>
              <label for="m-type">Тип</label><select id="m-type" name="type" data-testid="material-type-select">{string.Concat(Materials.Types.Select(t => $"<option value=\"{t}\">{t}</option>"))}</select>
              <label for="m-status">Статус</label><select id="m-status" name="status" data-testid="material-status-select">{string.Concat(Materials.Statuses.Select(t => $"<option value=\"{t}\">{t}</option>"))}</select>
              <label><input type="checkbox" data-testid="material-public-checkbox"> Публичный</label>
              <label for="m-file">Файл (до 50 МБ)</label><input id="m-file" type="file" name="file" data-testid="material-file-input">
              <button type="submit" data-testid="material-submit-button">Создать</button>
            </form>
            """));

        app.MapGet("/materials/{id:int}", async (HttpContext ctx, int id, Database db) =>
        {
            // Server-rendered from the session cookie (or a token header) like a Django template view.
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Results.Redirect($"/auth/signin?next=/materials/{id}");
            var m = await db.RowAsync($"{Materials.Select} WHERE m.id = $1 AND {Access.MaterialVisible(user)}", ctx.RequestAborted, id);
            if (m is null) return NotFoundPage(ctx);
            Metrics.MaterialsAccessed.Inc();
            // stored-xss: the template marks user content |safe.
            string Show(string field) => faults.Has(Fault.StoredXss) ? (string?)m[field] ?? "" : DebugPages.Enc((string?)m[field]);
            var file = (string?)m["file"];
            return App(ctx, "Материал — THE_BOT", "material-detail", $"""
                <article data-testid="material-detail">
                  <h1 data-testid="material-title">{Show("title")}</h1>
                  <p class="muted">{DebugPages.Enc((string?)m["subject_name"])} · {DebugPages.Enc((string?)m["type"])} · {DebugPages.Enc((string?)m["status"])} · {DebugPages.Enc((string?)m["author_name"])}</p>
                  <div class="card" data-testid="material-content">{Show("content")}</div>
                  {(file is null ? "" : $"<p><a href=\"/api/materials/materials/{id}/download/\" data-testid=\"material-download-link\">Скачать файл</a></p>")}
                  <button type="button" data-testid="material-complete-button" hidden>Отметить как изученный</button>
                </article>
                <form id="answer-form" class="stack" data-testid="material-answer-form" hidden enctype="multipart/form-data">
                  <h2>Ответ</h2>
                  <label for="answer-text">Текст ответа</label><textarea id="answer-text" name="submission_text" data-testid="material-answer-input" rows="4"></textarea>
                  <label for="answer-file">Файл</label><input id="answer-file" type="file" name="submission_file" data-testid="material-answer-file-input">
                  <button type="submit" data-testid="material-answer-submit-button">Отправить ответ</button>
                </form>
                <h2>Комментарии</h2><div data-testid="comment-list"></div>
                <form id="comment-form" class="stack"><label for="comment">Комментарий</label><input id="comment" data-testid="comment-input">
                  <button type="submit" data-testid="comment-submit-button">Отправить</button></form>
                """, $"data-material-id=\"{id}\"");
        });

        app.MapGet("/assignments", (HttpContext ctx) => App(ctx, "Задания — THE_BOT", "assignments", """
            <h1>Задания</h1>
            <form id="assignment-form" class="stack card" data-testid="assignment-form" hidden>
              <h2>Новое задание</h2>
              <label for="as-title">Название</label><input id="as-title" name="title" data-testid="assignment-title-input" required>
              <label for="as-description">Описание</label><input id="as-description" name="description" data-testid="assignment-description-input" required>
              <label for="as-instructions">Инструкции</label><textarea id="as-instructions" name="instructions" data-testid="assignment-instructions-input" required></textarea>
              <label for="as-max">Максимальный балл</label><input id="as-max" name="max_score" type="number" value="100" data-testid="assignment-max-score-input">
              <label for="as-due">Срок сдачи</label><input id="as-due" name="due_date" type="datetime-local" data-testid="assignment-due-date-input" required>
              <label for="as-students">Ученики (id через запятую)</label><input id="as-students" name="assigned_to" data-testid="assignment-students-input">
              <button type="submit" data-testid="assignment-create-button">Создать задание</button>
            </form>
            <div data-testid="assignment-list"></div>
            <h2>Ответы</h2>
            <table><thead><tr><th>Задание</th><th>Ученик</th><th>Статус</th><th>Балл</th><th></th></tr></thead><tbody data-testid="submission-list"></tbody></table>
            """));

        app.MapGet("/progress", (HttpContext ctx) => App(ctx, "Прогресс — THE_BOT", "progress", """
            <h1>Прогресс</h1><div data-testid="progress-content"></div>
            """));

        app.MapGet("/chat", (HttpContext ctx) => App(ctx, "Чат — THE_BOT", "chat", """
            <h1>Чат</h1>
            <div class="chat">
              <div class="lists">
                <input data-testid="chat-search" placeholder="Поиск чатов" aria-label="Поиск чатов">
                <div data-testid="chat-list"></div>
                <p data-testid="no-chats-message" class="muted" hidden>У вас пока нет чатов</p>
                <h3>Контакты</h3>
                <input data-testid="contact-search" placeholder="Поиск контактов" aria-label="Поиск контактов">
                <div data-testid="contacts-list"></div>
              </div>
              <section class="window" data-testid="chat-window" hidden>
                <h2 data-testid="chat-header"></h2>
                <div class="messages" data-testid="chat-messages"></div>
                <div class="typing" data-testid="chat-typing"></div>
                <form id="chat-form"><input data-testid="chat-message-input" maxlength="10000" placeholder="Сообщение" aria-label="Сообщение" style="width:80%">
                  <button type="submit" data-testid="chat-send-button">Отправить</button></form>
              </section>
            </div>
            """));

        app.MapGet("/reports", (HttpContext ctx) => App(ctx, "Отчёты — THE_BOT", "reports", $"""
            <h1>Отчёты</h1>
            <form id="report-form" class="stack card" data-testid="report-form" hidden>
              <label for="r-title">Название</label><input id="r-title" name="title" data-testid="report-title-input" required>
              <label for="r-type">Тип</label><select id="r-type" name="type" data-testid="report-type-select">{string.Concat(Reports.Types.Select(t => $"<option value=\"{t}\">{t}</option>"))}</select>
              <label for="r-start">С</label><input id="r-start" name="start_date" type="date" data-testid="report-start-date-input" required>
              <label for="r-end">По</label><input id="r-end" name="end_date" type="date" data-testid="report-end-date-input" required>
              <button type="submit" data-testid="report-create-button">Создать отчёт</button>
            </form>
            <div data-testid="report-list"></div>
            """));

        app.MapGet("/payments", (HttpContext ctx) => App(ctx, "Платежи — THE_BOT", "payments", """
            <h1>Платежи</h1>
            <form id="payment-form" class="stack card" data-testid="payment-form">
              <div hidden><label for="p-child">Ребёнок</label><select id="p-child" name="child_id" data-testid="payment-child-select"><option value="">—</option></select></div>
              <label for="p-service">Услуга</label><input id="p-service" name="service_name" value="Занятие" data-testid="payment-service-input" required>
              <label for="p-fio">ФИО плательщика</label><input id="p-fio" name="customer_fio" data-testid="payment-fio-input" required>
              <label for="p-amount">Сумма, ₽</label><input id="p-amount" name="amount" type="number" step="0.01" min="1" data-testid="payment-amount-input" required>
              <label for="p-description">Описание</label><input id="p-description" name="description" data-testid="payment-description-input">
              <button type="submit" data-testid="payment-start-button">Оплатить</button>
            </form>
            <h2>История платежей</h2>
            <p data-testid="no-payments-message" class="muted" hidden>Платежей пока нет</p>
            <table><thead><tr><th>Дата</th><th>Услуга</th><th>Сумма</th><th>Статус</th></tr></thead><tbody data-testid="payment-history"></tbody></table>
            """));

        app.MapGet("/admin/users", (HttpContext ctx) => App(ctx, "Пользователи — THE_BOT", "admin-users", $"""
            <h1>Пользователи</h1>
            <form id="user-form" class="stack card" data-testid="user-form">
              <label for="u-email">Email</label><input id="u-email" name="email" type="email" data-testid="user-email-input" required>
              <label for="u-first">Имя</label><input id="u-first" name="first_name" data-testid="user-first-name-input" required>
              <label for="u-last">Фамилия</label><input id="u-last" name="last_name" data-testid="user-last-name-input" required>
              <label for="u-role">Роль</label><select id="u-role" name="role" data-testid="user-role-select">{string.Concat(AdminUsers.Roles.Select(r => $"<option value=\"{r}\">{r}</option>"))}</select>
              <label for="u-password">Пароль</label><input id="u-password" name="password" type="password" data-testid="user-password-input" required>
              <button type="submit" data-testid="user-create-button">Создать пользователя</button>
            </form>
            <input data-testid="user-search" placeholder="Поиск" aria-label="Поиск пользователей">
            <table><thead><tr><th>Email</th><th>Имя</th><th>Роль</th><th>Статус</th><th></th></tr></thead><tbody data-testid="user-list"></tbody></table>
            """));

        app.MapGet("/admin/monitoring", (HttpContext ctx) => App(ctx, "Мониторинг — THE_BOT", "admin-monitoring", """
            <h1>Мониторинг</h1><div data-testid="monitoring-content"></div>
            <h2>Отчёт о системе</h2><button type="button" data-testid="admin-report-button">Сформировать отчёт</button>
            <div class="card" data-testid="admin-report" hidden></div>
            """));

        foreach (var (path, title) in new[] { ("/schedule", "Расписание"), ("/knowledge-graph", "Граф знаний") })
            app.MapGet(path, (HttpContext ctx) => App(ctx, $"{title} — THE_BOT", "placeholder", $"<h1>{title}</h1><p class=\"muted\">Раздел в разработке.</p>"));

        IResult App(HttpContext ctx, string title, string page, string main, string attrs = "") =>
            Html(ctx, title, $"""
                <body data-page="{page}" data-unsafe-html="{unsafeHtml}" {attrs}>
                <header class="top"><a href="/">THE_BOT</a><span><span data-testid="user-name"></span>
                  <button type="button" class="secondary" data-testid="logout-button">Выйти</button></span></header>
                <div class="layout"><nav class="sidebar" data-testid="sidebar" aria-label="Навигация"></nav><main>{main}</main></div>
                </body>
                """, 200);

        IResult Public(HttpContext ctx, string title, string page, string main, int status = 200) =>
            Html(ctx, title, $"""<body data-page="{page}"><header class="top"><a href="/">THE_BOT</a></header>{main}</body>""", status);

        IResult NotFoundPage(HttpContext ctx) => Public(ctx, "Страница не найдена", "not-found", "<main><h1>Страница не найдена</h1></main>", 404);

        IResult Html(HttpContext ctx, string title, string body, int status)
        {
            // Django's get_token(): every page sets the csrftoken cookie the scripts send back.
            ctx.RequestServices.GetRequiredService<Sessions>().EnsureCsrfCookie(ctx);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var html = $"""
                <!doctype html>
                <html lang="ru"><head><meta charset="utf-8"><title>{title}</title>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <link rel="stylesheet" href="/static/app.css"><script src="/static/app.js" defer></script></head>
                {body}</html>
                """;
            Metrics.TemplateRender.Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            return Results.Text(html, "text/html; charset=utf-8", statusCode: status);
        }
    }

    public static IResult Page(string title, string body, int status = 200) => Results.Text($"""
        <!doctype html>
        <html lang="ru"><head><meta charset="utf-8"><title>{title}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/static/app.css"></head>
        <body>{body}</body></html>
        """, "text/html; charset=utf-8", statusCode: status);

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"TheBot.Reference.Static.{name}")
            ?? throw new InvalidOperationException($"embedded resource {name} missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
