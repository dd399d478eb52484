using Npgsql;
using TheBot.Reference.Data;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>The materials app: /api/materials/materials/ (router), its actions, student answers.</summary>
public static class Materials
{
    public static readonly string[] Types = ["lesson", "presentation", "video", "document", "test", "homework"];
    public static readonly string[] Statuses = ["draft", "active", "archived"];

    public const string Select = """
        SELECT m.id, m.title, m.description, m.content, m.author_id AS author, trim(a.first_name || ' ' || a.last_name) AS author_name,
               m.subject_id AS subject, s.name AS subject_name, m.type, m.status, m.is_public,
               CASE WHEN m.file IS NULL THEN NULL ELSE '/media/' || m.file END AS file, m.difficulty_level,
               m.created_at, m.updated_at, m.published_at,
               ARRAY(SELECT x.user_id FROM materials_material_assigned_to x WHERE x.material_id = m.id ORDER BY x.user_id) AS assigned_to
        FROM materials_material m JOIN accounts_user a ON a.id = m.author_id JOIN materials_subject s ON s.id = m.subject_id
        """;

    public static void MapMaterials(this WebApplication app)
    {
        const string root = "/api/materials/materials/";

        app.MapGet(root, async (HttpContext ctx, Database db, Throttle throttle, PlatformOptions options) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            var q = ctx.Request.Query;
            var args = new List<object?>();
            var where = new List<string> { Access.MaterialVisible(user) };
            string P(object? v) { args.Add(v); return $"${args.Count}"; }
            if (q.ContainsKey("subject")) where.Add(int.TryParse(q["subject"], out var sub) ? $"m.subject_id = {P(sub)}" : "FALSE");
            if (q["type"] is { Count: > 0 } t && t.ToString().Length > 0) where.Add($"m.type = {P(t.ToString())}");
            if (q["status"] is { Count: > 0 } st && st.ToString().Length > 0) where.Add($"m.status = {P(st.ToString())}");
            if (q["search"].ToString() is { Length: > 0 } search)
            {
                if (await throttle.CheckAsync(ctx, "search") is { } throttled) return throttled;
                // sql-injection: the search term pasted into the SQL text instead of bound as a parameter.
                where.Add(options.Faults.Has(Fault.SqlInjection)
                    ? $"(m.title ILIKE '%{search}%' OR m.description ILIKE '%{search}%')"
                    : $"(m.title ILIKE {P("%" + search + "%")} OR m.description ILIKE {P("%" + search + "%")})");
            }
            try
            {
                return await Api.PageAsync(ctx, db, $"{Select} WHERE {string.Join(" AND ", where)}", "id DESC", args.ToArray());
            }
            catch (PostgresException e) when (options.Faults.Has(Fault.SqlInjection))
            {
                // The vulnerable view also leaks str(e), which is what error-based probes look for.
                return Results.Json(new { success = false, error = $"Database error: {e.MessageText}", sqlstate = e.SqlState }, statusCode: 500);
            }
        });

        app.MapPost(root, async (HttpContext ctx, Database db, Throttle throttle, PlatformOptions options) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "teacher", "tutor")) return Drf.Forbidden();
            var input = await Input.ReadAsync(ctx);
            var title = input.Str("title")?.Trim();
            var content = input.Str("content") ?? "";
            var subject = input.Int("subject");
            var type = input.Str("type") ?? "lesson";
            var status = input.Str("status") ?? "draft";
            var file = input.File("file");
            if (!input.Valid || string.IsNullOrEmpty(title) || title.Length > 200 || content.Trim().Length < 10 || subject is null
                || !Types.Contains(type) || !Statuses.Contains(status)
                || await db.ScalarAsync<int?>("SELECT id FROM materials_subject WHERE id = $1", ctx.RequestAborted, subject) is null)
                return Api.Validation();
            if (file is not null)
            {
                if (!Uploads.Acceptable(file, options)) return Api.Validation();
                if (await throttle.CheckAsync(ctx, "upload") is { } throttled) return throttled;
            }
            var path = file is null ? null : await Uploads.SaveAsync(file, "materials", options, ctx.RequestAborted);
            var id = await db.ScalarAsync<int>("""
                INSERT INTO materials_material (title, description, content, author_id, subject_id, type, status, is_public, file, published_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $7 = 'active' THEN now() END) RETURNING id
                """, ctx.RequestAborted, title, input.Str("description") ?? "", content, user.Id, subject.Value, type, status, input.Bool("is_public") ?? false, path);
            foreach (var sid in input.Ints("assigned_to"))
                await db.ExecAsync("INSERT INTO materials_material_assigned_to SELECT $1, id FROM accounts_user WHERE id = $2 AND role = 'student' ON CONFLICT DO NOTHING", ctx.RequestAborted, id, sid);
            Metrics.ModelOperations.Inc($"{Metrics.Label("model", "material")},{Metrics.Label("operation", "create")}");
            return Api.Json(await db.RowAsync($"{Select} WHERE m.id = $1", ctx.RequestAborted, id), 201);
        });

        app.MapGet(root + "{id:int}/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            var row = await db.RowAsync($"{Select} WHERE m.id = $1 AND {(Access.Idor(ctx) ? "TRUE" : Access.MaterialVisible(user))}", ctx.RequestAborted, id);
            if (row is null) return Api.NotFound();
            Metrics.MaterialsAccessed.Inc();
            return Api.Json(row);
        });

        async Task<IResult> Update(HttpContext ctx, int id, Database db)
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "teacher", "tutor")) return Drf.Forbidden();
            if (await db.ScalarAsync<int?>("SELECT id FROM materials_material WHERE id = $1", ctx.RequestAborted, id) is null) return Api.NotFound();
            var input = await Input.ReadAsync(ctx);
            if (!input.Valid) return Api.Validation();
            if (input.Str("type") is { } t && !Types.Contains(t)) return Api.Validation();
            if (input.Str("status") is { } s && !Statuses.Contains(s)) return Api.Validation();
            if (input.Str("content") is { } c && c.Trim().Length < 10) return Api.Validation();
            await db.ExecAsync("""
                UPDATE materials_material SET title = coalesce($2, title), description = coalesce($3, description), content = coalesce($4, content),
                  type = coalesce($5, type), status = coalesce($6, status), is_public = coalesce($7, is_public), updated_at = now(),
                  published_at = CASE WHEN coalesce($6, status) = 'active' THEN coalesce(published_at, now()) ELSE published_at END
                WHERE id = $1
                """, ctx.RequestAborted, id, input.Str("title"), input.Str("description"), input.Str("content"), input.Str("type"), input.Str("status"), input.Bool("is_public"));
            return Api.Json(await db.RowAsync($"{Select} WHERE m.id = $1", ctx.RequestAborted, id));
        }
        app.MapMethods(root + "{id:int}/", ["PATCH", "PUT"], Update);

        app.MapDelete(root + "{id:int}/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "teacher", "tutor")) return Drf.Forbidden();
            return await db.ExecAsync("DELETE FROM materials_material WHERE id = $1", ctx.RequestAborted, id) == 0 ? Api.NotFound() : Results.StatusCode(204);
        });

        app.MapPost(root + "{id:int}/assign/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "teacher", "tutor")) return Drf.Forbidden();
            if (await db.ScalarAsync<int?>("SELECT id FROM materials_material WHERE id = $1", ctx.RequestAborted, id) is null) return Api.NotFound();
            var input = await Input.ReadAsync(ctx);
            var ids = input.Ints("student_ids");
            if (ids.Count == 0) ids = input.Ints("assigned_to");
            if (!input.Valid || ids.Count == 0) return Api.Validation();
            var count = 0;
            foreach (var sid in ids)
                count += await db.ExecAsync("INSERT INTO materials_material_assigned_to SELECT $1, id FROM accounts_user WHERE id = $2 AND role = 'student' ON CONFLICT DO NOTHING", ctx.RequestAborted, id, sid);
            return Results.Json(new { success = true, message = "Материал назначен", assigned_count = count });
        });

        app.MapPost(root + "{id:int}/update_progress/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (user.Role != "student") return Drf.Forbidden();
            if (await db.ScalarAsync<int?>($"SELECT m.id FROM materials_material m WHERE m.id = $1 AND {Access.MaterialVisible(user)}", ctx.RequestAborted, id) is null) return Api.NotFound();
            var input = await Input.ReadAsync(ctx);
            var percent = input.Int("progress_percentage");
            var spent = input.Int("time_spent") ?? 0;
            if (!input.Valid || percent is null or < 0 or > 100 || spent < 0) return Api.Validation();
            await db.ExecAsync("""
                INSERT INTO materials_materialprogress (student_id, material_id, progress_percentage, time_spent, is_completed, completed_at)
                VALUES ($1, $2, $3, $4, $3 = 100, CASE WHEN $3 = 100 THEN now() END)
                ON CONFLICT (student_id, material_id) DO UPDATE SET progress_percentage = EXCLUDED.progress_percentage,
                  time_spent = materials_materialprogress.time_spent + EXCLUDED.time_spent, is_completed = EXCLUDED.is_completed,
                  completed_at = coalesce(materials_materialprogress.completed_at, EXCLUDED.completed_at), last_accessed = now()
                """, ctx.RequestAborted, user.Id, id, percent.Value, spent);
            return Api.Json(await db.RowAsync("SELECT id, student_id AS student, material_id AS material, progress_percentage, time_spent, is_completed, completed_at, last_accessed FROM materials_materialprogress WHERE student_id = $1 AND material_id = $2", ctx.RequestAborted, user.Id, id));
        });

        app.MapGet(root + "{id:int}/progress/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (await db.ScalarAsync<int?>($"SELECT m.id FROM materials_material m WHERE m.id = $1 AND {Access.MaterialVisible(user)}", ctx.RequestAborted, id) is null) return Api.NotFound();
            var who = Access.Is(ctx, user, "teacher", "tutor") ? "TRUE" : user.Role == "parent" ? $"p.student_id IN ({Access.ChildrenOf(user.Id)})" : $"p.student_id = {user.Id}";
            return Api.Json(await db.RowsAsync($"""
                SELECT p.id, p.student_id AS student, trim(u.first_name || ' ' || u.last_name) AS student_name, p.progress_percentage, p.time_spent,
                       p.is_completed, p.completed_at, p.last_accessed
                FROM materials_materialprogress p JOIN accounts_user u ON u.id = p.student_id WHERE p.material_id = $1 AND {who} ORDER BY p.id
                """, ctx.RequestAborted, id));
        });

        app.MapGet(root + "{id:int}/comments/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (await db.ScalarAsync<int?>($"SELECT m.id FROM materials_material m WHERE m.id = $1 AND {Access.MaterialVisible(user)}", ctx.RequestAborted, id) is null) return Api.NotFound();
            return await Api.PageAsync(ctx, db, """
                SELECT c.id, c.material_id AS material, c.author_id AS author, trim(u.first_name || ' ' || u.last_name) AS author_name, c.content, c.created_at
                FROM materials_materialcomment c JOIN accounts_user u ON u.id = c.author_id WHERE c.material_id = $1
                """, "id", id);
        });

        app.MapPost(root + "{id:int}/comments/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (await db.ScalarAsync<int?>($"SELECT m.id FROM materials_material m WHERE m.id = $1 AND {Access.MaterialVisible(user)}", ctx.RequestAborted, id) is null) return Api.NotFound();
            var input = await Input.ReadAsync(ctx);
            var content = input.Str("content")?.Trim();
            if (!input.Valid || string.IsNullOrEmpty(content) || content.Length > 5000) return Api.Validation();
            var cid = await db.ScalarAsync<int>("INSERT INTO materials_materialcomment (material_id, author_id, content) VALUES ($1, $2, $3) RETURNING id", ctx.RequestAborted, id, user.Id, content);
            return Api.Json(await db.RowAsync("SELECT c.id, c.material_id AS material, c.author_id AS author, c.content, c.created_at FROM materials_materialcomment c WHERE c.id = $1", ctx.RequestAborted, cid), 201);
        });

        app.MapGet(root + "{id:int}/download/", async (HttpContext ctx, int id, Database db, PlatformOptions options) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            var row = await db.RowAsync($"SELECT m.file, {Access.MaterialVisible(user)} AS visible FROM materials_material m WHERE m.id = $1", ctx.RequestAborted, id);
            if (row is null) return Api.NotFound();
            if (!(bool)row["visible"]! && !Access.Idor(ctx)) return Drf.Forbidden();
            if (row["file"]?.GetValue<string>() is not { } file) return Api.NotFound();
            var full = Path.Combine(options.MediaDirectory, file);
            if (!File.Exists(full)) return Results.Json(new { detail = "Файл больше недоступен" }, statusCode: 410);
            Metrics.MaterialsAccessed.Inc();
            return Results.File(full, Uploads.ContentType(full), Path.GetFileName(full)[33..]);
        });

        // Attached files: list, attach (teacher/tutor), download.
        app.MapGet(root + "{id:int}/files/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (await db.ScalarAsync<int?>($"SELECT m.id FROM materials_material m WHERE m.id = $1 AND {Access.MaterialVisible(user)}", ctx.RequestAborted, id) is null) return Api.NotFound();
            return Api.Json(await db.RowsAsync("SELECT id, material_id AS material, name, size, '/media/' || file AS file, uploaded_at, '/api/materials/files/' || id || '/download/' AS download_url FROM materials_materialfile WHERE material_id = $1 ORDER BY id", ctx.RequestAborted, id));
        });

        app.MapPost(root + "{id:int}/files/", async (HttpContext ctx, int id, Database db, Throttle throttle, PlatformOptions options) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "teacher", "tutor")) return Drf.Forbidden();
            if (await db.ScalarAsync<int?>("SELECT id FROM materials_material WHERE id = $1", ctx.RequestAborted, id) is null) return Api.NotFound();
            var input = await Input.ReadAsync(ctx);
            var file = input.File("file");
            if (!input.Valid || file is null || !Uploads.Acceptable(file, options)) return Api.Validation();
            if (await throttle.CheckAsync(ctx, "upload") is { } throttled) return throttled;
            var path = await Uploads.SaveAsync(file, "materials/files", options, ctx.RequestAborted);
            var fid = await db.ScalarAsync<int>("INSERT INTO materials_materialfile (material_id, file, name, size, uploaded_by_id) VALUES ($1, $2, $3, $4, $5) RETURNING id", ctx.RequestAborted, id, path, Path.GetFileName(file.FileName), file.Length, user.Id);
            return Api.Json(await db.RowAsync("SELECT id, material_id AS material, name, size, '/media/' || file AS file, uploaded_at, '/api/materials/files/' || id || '/download/' AS download_url FROM materials_materialfile WHERE id = $1", ctx.RequestAborted, fid), 201);
        });

        app.MapGet("/api/materials/files/{fid:int}/download/", async (HttpContext ctx, int fid, Database db, PlatformOptions options) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            var row = await db.RowAsync($"SELECT f.file, f.name, {Access.MaterialVisible(user)} AS visible FROM materials_materialfile f JOIN materials_material m ON m.id = f.material_id WHERE f.id = $1", ctx.RequestAborted, fid);
            if (row is null) return Api.NotFound();
            if (!(bool)row["visible"]! && !Access.Idor(ctx)) return Drf.Forbidden();
            var full = Path.Combine(options.MediaDirectory, (string)row["file"]!);
            if (!File.Exists(full)) return Results.Json(new { detail = "Файл больше недоступен" }, statusCode: 410);
            return Results.File(full, Uploads.ContentType(full), (string)row["name"]!);
        });

        app.MapPost(root + "{id:int}/submit-files/", (HttpContext ctx, int id, Database db, Throttle throttle, PlatformOptions options) =>
            SubmitAsync(ctx, id, db, throttle, options, filesField: true));
        app.MapPost("/api/student/materials/{id:int}/submissions/", (HttpContext ctx, int id, Database db, Throttle throttle, PlatformOptions options) =>
            SubmitAsync(ctx, id, db, throttle, options, filesField: false));

        app.MapGet("/api/student/materials/{id:int}/submissions/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            return Api.Json(await db.RowsAsync($"{SubmissionSelect} WHERE s.material_id = $1 AND {Access.SubmissionVisible(user)} ORDER BY s.id", ctx.RequestAborted, id));
        });

        app.MapGet("/api/teacher/submissions/pending/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "teacher", "tutor")) return Drf.Forbidden();
            return await Api.PageAsync(ctx, db, $"{SubmissionSelect} WHERE s.status = 'submitted'", "id");
        });

        app.MapGet("/api/materials/subjects/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is null) return Drf.NotAuthenticated();
            return await Api.PageAsync(ctx, db, "SELECT id, name, description, color FROM materials_subject", "id");
        });
    }

    private const string SubmissionSelect = """
        SELECT s.id, s.material_id AS material, m.title AS material_title, s.student_id AS student,
               trim(u.first_name || ' ' || u.last_name) AS student_name, s.submission_text,
               CASE WHEN s.submission_file IS NULL THEN NULL ELSE '/media/' || s.submission_file END AS submission_file,
               s.status, s.teacher_feedback, s.submitted_at, s.reviewed_at
        FROM materials_materialsubmission s JOIN materials_material m ON m.id = s.material_id JOIN accounts_user u ON u.id = s.student_id
        """;

    /// <summary>A student's answer: only public or assigned materials (else 403); one answer per material.</summary>
    private static async Task<IResult> SubmitAsync(HttpContext ctx, int id, Database db, Throttle throttle, PlatformOptions options, bool filesField)
    {
        if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
        if (user.Role != "student") return Drf.Forbidden();
        var material = await db.RowAsync("SELECT m.is_public OR EXISTS (SELECT 1 FROM materials_material_assigned_to x WHERE x.material_id = m.id AND x.user_id = $2) AS open FROM materials_material m WHERE m.id = $1", ctx.RequestAborted, id, user.Id);
        if (material is null) return Api.NotFound();
        if (!(bool)material["open"]!) return Results.Json(new { success = false, error = "Материал вам не назначен" }, statusCode: 403);
        var input = await Input.ReadAsync(ctx);
        var text = input.Str("submission_text") ?? input.Str("text") ?? "";
        var file = filesField ? input.File("files") ?? input.File("file") ?? input.File("submission_file") : input.File("submission_file");
        if (!input.Valid || (text.Trim().Length == 0 && file is null)) return Api.Validation();
        if (file is not null && !Uploads.Acceptable(file, options)) return Api.Validation();
        if (await db.ScalarAsync<int?>("SELECT id FROM materials_materialsubmission WHERE material_id = $1 AND student_id = $2", ctx.RequestAborted, id, user.Id) is not null)
            return Api.Fail(400, "Ответ уже отправлен");
        if (file is not null && await throttle.CheckAsync(ctx, "upload") is { } throttled) return throttled;
        var path = file is null ? null : await Uploads.SaveAsync(file, "submissions", options, ctx.RequestAborted);
        var sid = await db.ScalarAsync<int>("INSERT INTO materials_materialsubmission (material_id, student_id, submission_text, submission_file) VALUES ($1, $2, $3, $4) RETURNING id", ctx.RequestAborted, id, user.Id, text, path);
        return Api.Json(await db.RowAsync($"{SubmissionSelect} WHERE s.id = $1", ctx.RequestAborted, sid), 201);
    }
}
