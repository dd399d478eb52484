using TheBot.Reference.Data;

namespace TheBot.Reference.Features;

/// <summary>The assignments app: create (201 without id), submit, grade out of 10, submissions list.</summary>
public static class Assignments
{
    private const string Select = """
        SELECT a.id, a.title, a.description, a.instructions, a.author_id AS author, trim(u.first_name || ' ' || u.last_name) AS author_name,
               a.type, a.status, a.max_score, a.time_limit, a.attempts_limit, a.start_date, a.due_date, a.created_at,
               ARRAY(SELECT x.user_id FROM assignments_assignment_assigned_to x WHERE x.assignment_id = a.id ORDER BY x.user_id) AS assigned_to
        FROM assignments_assignment a JOIN accounts_user u ON u.id = a.author_id
        """;

    public const string SubmissionSelect = """
        SELECT s.id, s.assignment_id AS assignment, a.title AS assignment_title, s.student_id AS student,
               trim(u.first_name || ' ' || u.last_name) AS student_name, s.content,
               CASE WHEN s.file IS NULL THEN NULL ELSE '/media/' || s.file END AS file,
               s.status, s.score::float8 AS score, s.max_score,
               CASE WHEN s.score IS NULL THEN NULL ELSE round(s.score * 100.0 / nullif(s.max_score, 0), 2)::float8 END AS percentage,
               s.feedback, s.attempt_number, s.submitted_at, s.graded_at
        FROM assignments_assignmentsubmission s JOIN assignments_assignment a ON a.id = s.assignment_id JOIN accounts_user u ON u.id = s.student_id
        """;

    public static void MapAssignments(this WebApplication app)
    {
        app.MapGet("/api/assignments/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            return await Api.PageAsync(ctx, db, $"{Select} WHERE {Access.AssignmentVisible(user)}", "id DESC");
        });

        app.MapPost("/api/assignments/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "teacher", "tutor")) return Drf.Forbidden();
            var input = await Input.ReadAsync(ctx);
            string? title = input.Str("title"), description = input.Str("description"), instructions = input.Str("instructions");
            var (start, due) = (input.Date("start_date"), input.Date("due_date"));
            var maxScore = input.Int("max_score") ?? 100;
            var attempts = input.Int("attempts_limit") ?? 1;
            if (!input.Valid || string.IsNullOrWhiteSpace(title) || string.IsNullOrWhiteSpace(description) || string.IsNullOrWhiteSpace(instructions)
                || start is null || due is null || due <= DateTimeOffset.UtcNow || due <= start || maxScore is < 1 or > 1000 || attempts is < 1 or > 100)
                return Api.Validation();
            var id = await db.ScalarAsync<int>("""
                INSERT INTO assignments_assignment (title, description, instructions, author_id, type, max_score, attempts_limit, time_limit, start_date, due_date)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id
                """, ctx.RequestAborted, title, description, instructions, user.Id, input.Str("type") ?? "homework", maxScore, attempts, input.Int("time_limit"), start.Value, due.Value);
            foreach (var sid in input.Ints("assigned_to"))
                await db.ExecAsync("INSERT INTO assignments_assignment_assigned_to SELECT $1, id FROM accounts_user WHERE id = $2 AND role = 'student' ON CONFLICT DO NOTHING", ctx.RequestAborted, id, sid);
            Metrics.ModelOperations.Inc($"{Metrics.Label("model", "assignment")},{Metrics.Label("operation", "create")}");
            // Contract §1: 201 with the input fields only, no id.
            return Results.Json(new
            {
                title, description, instructions, type = input.Str("type") ?? "homework", max_score = maxScore, attempts_limit = attempts,
                start_date = start.Value.ToString("O"), due_date = due.Value.ToString("O"), assigned_to = input.Ints("assigned_to"),
            }, statusCode: 201);
        });

        app.MapGet("/api/assignments/{id:int}/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            var row = await db.RowAsync($"{Select} WHERE a.id = $1 AND {(Access.Idor(ctx) ? "TRUE" : Access.AssignmentVisible(user))}", ctx.RequestAborted, id);
            return row is null ? Api.NotFound() : Api.Json(row);
        });

        app.MapPost("/api/assignments/{id:int}/assign/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "teacher", "tutor")) return Drf.Forbidden();
            var input = await Input.ReadAsync(ctx);
            var ids = input.Ints("student_ids");
            if (ids.Count == 0) return Api.Validation();
            var count = 0;
            foreach (var sid in ids)
                count += await db.ExecAsync("INSERT INTO assignments_assignment_assigned_to SELECT $1, id FROM accounts_user WHERE id = $2 AND role = 'student' AND EXISTS (SELECT 1 FROM assignments_assignment WHERE id = $1) ON CONFLICT DO NOTHING", ctx.RequestAborted, id, sid);
            return Results.Json(new { success = true, assigned_count = count });
        });

        app.MapPost("/api/assignments/{id:int}/submit/", async (HttpContext ctx, int id, Database db, Throttle throttle, Platform.PlatformOptions options) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (user.Role != "student") return Drf.Forbidden();
            var assignment = await db.RowAsync("""
                SELECT a.max_score, a.attempts_limit, a.due_date < now() AS overdue,
                       EXISTS (SELECT 1 FROM assignments_assignment_assigned_to x WHERE x.assignment_id = a.id AND x.user_id = $2) AS mine,
                       (SELECT count(*) FROM assignments_assignmentsubmission s WHERE s.assignment_id = a.id AND s.student_id = $2) AS attempts
                FROM assignments_assignment a WHERE a.id = $1
                """, ctx.RequestAborted, id, user.Id);
            if (assignment is null) return Api.NotFound();
            if (!(bool)assignment["mine"]!) return Results.Json(new { success = false, error = "Задание вам не назначено" }, statusCode: 403);
            var input = await Input.ReadAsync(ctx);
            var content = input.Str("content") ?? "";
            var file = input.File("file");
            if (!input.Valid || (input.Int("assignment") is { } a && a != id) || (content.Trim().Length == 0 && file is null)) return Api.Validation();
            if (file is not null && !Uploads.Acceptable(file, options)) return Api.Validation();
            if ((bool)assignment["overdue"]!) return Api.Fail(400, "Срок сдачи задания истёк");
            if ((long)assignment["attempts"]! >= (long)assignment["attempts_limit"]!) return Api.Fail(400, "Превышено количество попыток");
            if (await throttle.CheckAsync(ctx, "assignment_submission") is { } throttled) return throttled;
            var path = file is null ? null : await Uploads.SaveAsync(file, "assignments", options, ctx.RequestAborted);
            await db.ExecAsync("INSERT INTO assignments_assignmentsubmission (assignment_id, student_id, content, file, max_score, attempt_number) VALUES ($1, $2, $3, $4, $5, $6)",
                ctx.RequestAborted, id, user.Id, content, path, (int)(long)assignment["max_score"]!, (int)(long)assignment["attempts"]! + 1);
            Metrics.AssignmentsSubmitted.Inc();
            return Results.Json(new { assignment = id, content }, statusCode: 201);
        });

        app.MapGet("/api/assignments/submissions/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            var extra = ctx.Request.Query["assignment"].ToString() is { Length: > 0 } a && int.TryParse(a, out var aid) ? $" AND s.assignment_id = {aid}" : "";
            var status = ctx.Request.Query["status"].ToString();
            return status.Length > 0
                ? await Api.PageAsync(ctx, db, $"{SubmissionSelect} WHERE {Access.SubmissionVisible(user)}{extra} AND s.status = $1", "id DESC", status)
                : await Api.PageAsync(ctx, db, $"{SubmissionSelect} WHERE {Access.SubmissionVisible(user)}{extra}", "id DESC");
        });

        app.MapGet("/api/assignments/submissions/{id:int}/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            var row = await db.RowAsync($"{SubmissionSelect} WHERE s.id = $1 AND {(Access.Idor(ctx) ? "TRUE" : Access.SubmissionVisible(user))}", ctx.RequestAborted, id);
            return row is null ? Api.NotFound() : Api.Json(row);
        });

        app.MapPost("/api/assignments/submissions/{id:int}/grade/", async (HttpContext ctx, int id, Database db, Logs logs) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "teacher", "tutor")) return Drf.Forbidden();
            var submission = await db.RowAsync("SELECT max_score, score IS NOT NULL AS graded FROM assignments_assignmentsubmission WHERE id = $1", ctx.RequestAborted, id);
            if (submission is null) return Api.NotFound();
            var input = await Input.ReadAsync(ctx);
            var grade = input.Dec("grade");
            if (!input.Valid || grade is null or < 0 or > 10) return Api.Validation();
            var maxScore = (int)submission["max_score"]!;
            var score = Math.Round(grade.Value * maxScore / 10m, 2);
            var feedback = input.Str("feedback") ?? "";
            await db.ExecAsync("UPDATE assignments_assignmentsubmission SET score = $2, feedback = $3, status = 'graded', graded_at = now() WHERE id = $1", ctx.RequestAborted, id, score, feedback);
            var row = await db.RowAsync($"{SubmissionSelect} WHERE s.id = $1", ctx.RequestAborted, id);
            row!["grade"] = grade.Value;
            return Api.Json(row, (bool)submission["graded"]! ? 200 : 201);
        });
    }
}
