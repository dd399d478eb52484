using System.Text.Json.Nodes;
using TheBot.Reference.Data;

namespace TheBot.Reference.Features;

/// <summary>Progress dashboards per role (contract §4), computed from enrollments, progress and grades.</summary>
public static class Dashboards
{
    /// <summary>Per-subject progress of one student: materials done, average progress, graded average.</summary>
    private static string SubjectProgress(string studentExpr) => $"""
        SELECT s.id AS subject_id, s.name AS subject_name, trim(t.first_name || ' ' || t.last_name) AS teacher_name,
               (SELECT count(*) FROM materials_material m WHERE m.subject_id = s.id AND m.status = 'active') AS materials_total,
               (SELECT count(*) FROM materials_materialprogress p JOIN materials_material m ON m.id = p.material_id
                 WHERE m.subject_id = s.id AND p.student_id = e.student_id AND p.is_completed) AS materials_completed,
               coalesce((SELECT round(avg(p.progress_percentage))::int FROM materials_materialprogress p JOIN materials_material m ON m.id = p.material_id
                 WHERE m.subject_id = s.id AND p.student_id = e.student_id), 0) AS progress_percentage
        FROM materials_subjectenrollment e JOIN materials_subject s ON s.id = e.subject_id JOIN accounts_user t ON t.id = e.teacher_id
        WHERE e.is_active AND e.student_id = {studentExpr}
        """;

    private static async Task<JsonObject> StudentProgressAsync(Database db, int studentId, CancellationToken ct)
    {
        var subjects = await db.RowsAsync(SubjectProgress(studentId.ToString(System.Globalization.CultureInfo.InvariantCulture)) + " ORDER BY s.id", ct);
        var totals = await db.RowAsync("""
            SELECT (SELECT count(*) FROM materials_materialprogress WHERE student_id = $1 AND is_completed) AS completed_materials,
                   coalesce((SELECT round(avg(progress_percentage))::int FROM materials_materialprogress WHERE student_id = $1), 0) AS overall_progress,
                   (SELECT count(*) FROM assignments_assignmentsubmission WHERE student_id = $1) AS submitted_assignments,
                   (SELECT round(avg(score * 100.0 / nullif(max_score, 0)), 2)::float8 FROM assignments_assignmentsubmission WHERE student_id = $1 AND score IS NOT NULL) AS average_score
            """, ct, studentId);
        totals!["subjects"] = subjects;
        totals["student_id"] = studentId;
        return totals;
    }

    public static void MapDashboards(this WebApplication app)
    {
        app.MapGet("/api/dashboard/student/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (user.Role != "student") return Drf.Forbidden();
            var progress = await StudentProgressAsync(db, user.Id, ctx.RequestAborted);
            var result = new JsonObject
            {
                ["student"] = new JsonObject { ["id"] = user.Id, ["name"] = user.FullName, ["email"] = user.Email },
                ["subjects"] = progress["subjects"]!.DeepClone(),
                ["stats"] = new JsonObject
                {
                    ["completed_materials"] = progress["completed_materials"]!.DeepClone(),
                    ["overall_progress"] = progress["overall_progress"]!.DeepClone(),
                    ["submitted_assignments"] = progress["submitted_assignments"]!.DeepClone(),
                    ["average_score"] = progress["average_score"]?.DeepClone(),
                },
                ["recent_materials"] = await db.RowsAsync($"SELECT m.id, m.title, m.type, s.name AS subject_name FROM materials_material m JOIN materials_subject s ON s.id = m.subject_id WHERE {Access.MaterialVisible(user)} ORDER BY m.id DESC LIMIT 5", ctx.RequestAborted),
                ["upcoming_assignments"] = await db.RowsAsync($"SELECT a.id, a.title, a.due_date FROM assignments_assignment a WHERE {Access.AssignmentVisible(user)} AND a.due_date > now() ORDER BY a.due_date LIMIT 5", ctx.RequestAborted),
            };
            return Api.Json(result);
        });

        app.MapGet("/api/dashboard/student/progress/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (user.Role != "student") return Drf.Forbidden();
            return Api.Json(await StudentProgressAsync(db, user.Id, ctx.RequestAborted));
        });

        app.MapGet("/api/student/progress/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (user.Role != "student") return Drf.Forbidden();
            if (!int.TryParse(ctx.Request.Query["subject"], out var subject)) return Api.Fail(400, "Параметр subject обязателен");
            var row = await db.RowAsync(SubjectProgress("$1") + " AND s.id = $2", ctx.RequestAborted, user.Id, subject);
            if (row is null) return Api.NotFound();
            row["materials"] = await db.RowsAsync("""
                SELECT m.id, m.title, coalesce(p.progress_percentage, 0) AS progress_percentage, coalesce(p.is_completed, FALSE) AS is_completed
                FROM materials_material m LEFT JOIN materials_materialprogress p ON p.material_id = m.id AND p.student_id = $1
                WHERE m.subject_id = $2 ORDER BY m.id
                """, ctx.RequestAborted, user.Id, subject);
            return Api.Json(row);
        });

        app.MapGet("/api/teacher/dashboard/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "teacher")) return Drf.Forbidden();
            var stats = await db.RowAsync("""
                SELECT (SELECT count(DISTINCT student_id) FROM materials_subjectenrollment WHERE teacher_id = $1 AND is_active) AS total_students,
                       (SELECT count(*) FROM materials_material WHERE author_id = $1) AS total_materials,
                       (SELECT count(*) FROM assignments_assignment WHERE author_id = $1) AS total_assignments,
                       (SELECT count(*) FROM assignments_assignmentsubmission s JOIN assignments_assignment a ON a.id = s.assignment_id WHERE a.author_id = $1 AND s.score IS NULL) AS pending_grading,
                       (SELECT count(*) FROM materials_materialsubmission s JOIN materials_material m ON m.id = s.material_id WHERE m.author_id = $1 AND s.status = 'submitted') AS pending_submissions
                """, ctx.RequestAborted, user.Id);
            return Api.Json(new JsonObject
            {
                ["teacher"] = new JsonObject { ["id"] = user.Id, ["name"] = user.FullName, ["email"] = user.Email },
                ["stats"] = stats,
                ["students"] = await TeacherStudentsAsync(db, user.Id, ctx.RequestAborted),
                ["subjects"] = await db.RowsAsync("SELECT DISTINCT s.id, s.name FROM materials_subjectenrollment e JOIN materials_subject s ON s.id = e.subject_id WHERE e.teacher_id = $1 AND e.is_active", ctx.RequestAborted, user.Id),
            });
        });

        app.MapGet("/api/teacher/progress/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "teacher")) return Drf.Forbidden();
            return Api.Json(new JsonObject { ["students"] = await TeacherStudentsAsync(db, user.Id, ctx.RequestAborted) });
        });

        app.MapGet("/api/dashboard/tutor/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "tutor")) return Drf.Forbidden();
            var students = await db.RowsAsync("""
                SELECT u.id, u.email, u.first_name, u.last_name, trim(u.first_name || ' ' || u.last_name) AS full_name,
                       coalesce((SELECT round(avg(progress_percentage))::int FROM materials_materialprogress WHERE student_id = u.id), 0) AS overall_progress
                FROM accounts_studentprofile p JOIN accounts_user u ON u.id = p.user_id WHERE p.tutor_id = $1 ORDER BY u.id
                """, ctx.RequestAborted, user.Id);
            return Api.Json(new JsonObject
            {
                ["tutor"] = new JsonObject { ["id"] = user.Id, ["name"] = user.FullName, ["email"] = user.Email },
                ["students"] = students,
                ["stats"] = new JsonObject { ["total_students"] = students.Count },
            });
        });

        app.MapGet("/api/dashboard/tutor/students/{id:int}/progress/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "tutor")) return Drf.Forbidden();
            var linked = await db.ScalarAsync<int?>("SELECT user_id FROM accounts_studentprofile WHERE user_id = $1 AND tutor_id = $2", ctx.RequestAborted, id, user.Id);
            if (linked is null && !(Access.Idor(ctx) && await db.ScalarAsync<int?>("SELECT id FROM accounts_user WHERE id = $1 AND role = 'student'", ctx.RequestAborted, id) is not null))
                return Api.NotFound();
            return Api.Json(await StudentProgressAsync(db, id, ctx.RequestAborted));
        });

        app.MapGet("/api/parent/children/", async (HttpContext ctx, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "parent")) return Drf.Forbidden();
            return Api.Json(await db.RowsAsync("""
                SELECT u.id, u.email, u.first_name, u.last_name, trim(u.first_name || ' ' || u.last_name) AS full_name,
                       coalesce((SELECT round(avg(progress_percentage))::int FROM materials_materialprogress WHERE student_id = u.id), 0) AS overall_progress,
                       ARRAY(SELECT s.name FROM materials_subjectenrollment e JOIN materials_subject s ON s.id = e.subject_id WHERE e.student_id = u.id AND e.is_active) AS subjects
                FROM accounts_studentprofile p JOIN accounts_user u ON u.id = p.user_id WHERE p.parent_id = $1 ORDER BY u.id
                """, ctx.RequestAborted, user.Id));
        });

        app.MapGet("/api/parent/children/{id:int}/progress/", async (HttpContext ctx, int id, Database db) =>
        {
            if (TokenAuth.CurrentUser(ctx) is not { } user) return Drf.NotAuthenticated();
            if (!Access.Is(ctx, user, "parent")) return Drf.Forbidden();
            var child = await db.ScalarAsync<int?>("SELECT user_id FROM accounts_studentprofile WHERE user_id = $1 AND parent_id = $2", ctx.RequestAborted, id, user.Id);
            if (child is null && !(Access.Idor(ctx) && await db.ScalarAsync<int?>("SELECT id FROM accounts_user WHERE id = $1 AND role = 'student'", ctx.RequestAborted, id) is not null))
                return Api.NotFound();
            return Api.Json(await StudentProgressAsync(db, id, ctx.RequestAborted));
        });
    }

    private static Task<JsonArray> TeacherStudentsAsync(Database db, int teacherId, CancellationToken ct) => db.RowsAsync("""
        SELECT DISTINCT ON (u.id) u.id, u.email, trim(u.first_name || ' ' || u.last_name) AS full_name, s.name AS subject_name,
               coalesce((SELECT round(avg(progress_percentage))::int FROM materials_materialprogress WHERE student_id = u.id), 0) AS overall_progress,
               (SELECT count(*) FROM assignments_assignmentsubmission WHERE student_id = u.id) AS submissions
        FROM materials_subjectenrollment e JOIN accounts_user u ON u.id = e.student_id JOIN materials_subject s ON s.id = e.subject_id
        WHERE e.teacher_id = $1 AND e.is_active ORDER BY u.id
        """, ct, teacherId);
}
