using System.Text.Json.Nodes;
using TheBot.Reference.Data;

namespace TheBot.Reference.Features;

/// <summary>The reports app: create (201 without id), list, read, generate once.</summary>
public static class Reports
{
    public static readonly string[] Types = ["student_progress", "class_performance", "subject_analysis", "weekly", "monthly", "custom"];

    private const string Select = """
        SELECT r.id, r.title, r.description, r.type, r.status, r.author_id AS author, trim(a.first_name || ' ' || a.last_name) AS author_name,
               r.student_id AS student, r.start_date, r.end_date, r.content, r.generated_at, r.created_at
        FROM reports_report r JOIN accounts_user a ON a.id = r.author_id
        """;

    public static void MapReports(this WebApplication app)
    {
        const string root = "/api/reports/reports/";

        app.MapGet(root, async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            return await Api.PageAsync(ctx, db, $"{Select} WHERE {Access.ReportVisible(user)}", "id DESC");
        });

        app.MapPost(root, async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "teacher", "tutor")) return Drf.Forbidden();
            var input = await Input.ReadAsync(ctx);
            var title = input.Str("title");
            var type = input.Str("type");
            var (start, end) = (input.Date("start_date"), input.Date("end_date"));
            var student = input.Int("student");
            if (!input.Valid || string.IsNullOrWhiteSpace(title) || type is null || !Types.Contains(type) || start is null || end is null || end < start)
                return Api.Validation();
            if (student is not null && await db.ScalarAsync<int?>("SELECT id FROM accounts_user WHERE id = $1 AND role = 'student'", ctx.RequestAborted, student) is null)
                return Api.Validation();
            await db.ExecAsync("INSERT INTO reports_report (title, description, type, author_id, student_id, start_date, end_date) VALUES ($1, $2, $3, $4, $5, $6::date, $7::date)",
                ctx.RequestAborted, title, input.Str("description") ?? "", type, user.Id, student, start.Value.UtcDateTime.Date, end.Value.UtcDateTime.Date);
            return Results.Json(new
            {
                title, type, description = input.Str("description") ?? "", student,
                start_date = start.Value.ToString("yyyy-MM-dd"), end_date = end.Value.ToString("yyyy-MM-dd"),
            }, statusCode: 201);
        });

        app.MapGet(root + "{id:int}/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            var row = await db.RowAsync($"{Select} WHERE r.id = $1 AND {(Access.Idor(ctx) ? "TRUE" : Access.ReportVisible(user))}", ctx.RequestAborted, id);
            return row is null ? Api.NotFound() : Api.Json(row);
        });

        app.MapPost(root + "{id:int}/generate/", async (HttpContext ctx, int id, Database db, Throttle throttle, Logs logs) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "teacher", "tutor")) return Drf.Forbidden();
            var report = await db.RowAsync("SELECT status, student_id, start_date, end_date FROM reports_report WHERE id = $1", ctx.RequestAborted, id);
            if (report is null) return Api.NotFound();
            if ((string)report["status"]! == "ready") return Api.Fail(400, "Отчет уже сгенерирован");
            if (await throttle.CheckAsync(ctx, "report_generation") is { } throttled) return throttled;
            var started = System.Diagnostics.Stopwatch.StartNew();
            var content = await db.RowAsync("""
                SELECT (SELECT count(*) FROM assignments_assignmentsubmission s WHERE ($1::int IS NULL OR s.student_id = $1) AND s.submitted_at::date BETWEEN $2::date AND $3::date) AS submissions,
                       (SELECT round(avg(s.score * 100.0 / nullif(s.max_score, 0)), 2)::float8 FROM assignments_assignmentsubmission s WHERE ($1::int IS NULL OR s.student_id = $1) AND s.score IS NOT NULL) AS average_score,
                       (SELECT count(*) FROM materials_materialprogress p WHERE ($1::int IS NULL OR p.student_id = $1) AND p.is_completed) AS completed_materials
                """, ctx.RequestAborted, report["student_id"]?.GetValue<int>(), DateTime.Parse((string)report["start_date"]!, System.Globalization.CultureInfo.InvariantCulture), DateTime.Parse((string)report["end_date"]!, System.Globalization.CultureInfo.InvariantCulture));
            content!["summary"] = "Отчет сформирован автоматически";
            await db.ExecAsync("UPDATE reports_report SET status = 'ready', content = $2::jsonb, generated_at = now() WHERE id = $1", ctx.RequestAborted, id, content.ToJsonString());
            logs.Celery.Write($"task reports.generate_report[{id}] succeeded in {started.Elapsed.TotalSeconds:F3}s");
            Metrics.CeleryTasks.Inc($"{Metrics.Label("task", "reports.generate_report")},{Metrics.Label("state", "success")}");
            Metrics.CeleryTaskDuration.Observe(started.Elapsed.TotalSeconds, Metrics.Label("task", "reports.generate_report"));
            return Api.Json(new JsonObject { ["success"] = true, ["message"] = "Отчет сгенерирован", ["report_id"] = id, ["content"] = content });
        });
    }
}
