using System.Net.Mail;
using TheBot.Reference.Data;

namespace TheBot.Reference.Features;

/// <summary>Staff user management: list, create, deactivate/activate. Every action goes to admin.log.</summary>
public static class AdminUsers
{
    public static readonly string[] Roles = ["student", "teacher", "tutor", "parent", "admin"];
    private const string Select = "SELECT u.id, u.username, u.email, u.first_name, u.last_name, u.role, u.is_active, u.is_staff, u.date_joined FROM accounts_user u";

    public static void MapAdminUsers(this WebApplication app)
    {
        app.MapGet("/api/admin/users/", async (HttpContext ctx, Database db, Throttle throttle) =>
        {
            if (HealthEndpoints.StaffOnly(ctx) is { } refusal) return refusal;
            if (await throttle.CheckAsync(ctx, "admin_endpoint") is { } throttled) return throttled;
            var role = ctx.Request.Query["role"].ToString();
            var search = ctx.Request.Query["search"].ToString();
            return await Api.PageAsync(ctx, db, $"{Select} WHERE ($1 = '' OR u.role = $1) AND ($2 = '' OR u.email ILIKE '%' || $2 || '%' OR u.last_name ILIKE '%' || $2 || '%')", "id", role, search);
        });

        async Task<IResult> Create(HttpContext ctx, Database db, Logs logs)
        {
            if (HealthEndpoints.StaffOnly(ctx) is { } refusal) return refusal;
            var admin = TokenAuth.CurrentUser(ctx)!;
            var input = await Input.ReadAsync(ctx);
            var email = input.Str("email")?.Trim().ToLowerInvariant();
            var role = input.Str("role");
            var password = input.Str("password") ?? "";
            if (!input.Valid || !MailAddress.TryCreate(email, out _) || role is null || !Roles.Contains(role) || password.Length < 8
                || string.IsNullOrWhiteSpace(input.Str("first_name")) || string.IsNullOrWhiteSpace(input.Str("last_name")))
                return Api.Validation();
            if (await db.ScalarAsync<int?>("SELECT id FROM accounts_user WHERE email = $1 OR username = $1", ctx.RequestAborted, email) is not null)
                return Api.Validation();
            var id = await db.ScalarAsync<int>("""
                INSERT INTO accounts_user (username, email, first_name, last_name, role, password, is_staff, is_superuser)
                VALUES ($1, $1, $2, $3, $4, $5, $6, $6) RETURNING id
                """, ctx.RequestAborted, email, input.Str("first_name"), input.Str("last_name"), role, PasswordHasher.Hash(password), role == "admin");
            if (role == "student")
                await db.ExecAsync("INSERT INTO accounts_studentprofile (user_id, tutor_id, parent_id) VALUES ($1, $2, $3)", ctx.RequestAborted, id, input.Int("tutor_id"), input.Int("parent_id"));
            logs.Admin.Write($"user created id={id} email={email} role={role} by={admin.Email} ip={ctx.Connection.RemoteIpAddress}");
            await Audit(db, admin.Id, "user_create", $"user:{id}", ctx);
            return Api.Json(new System.Text.Json.Nodes.JsonObject { ["success"] = true, ["user"] = await db.RowAsync($"{Select} WHERE u.id = $1", ctx.RequestAborted, id) }, 201);
        }
        app.MapPost("/api/admin/users/", Create);
        app.MapPost("/api/admin/users/create/", Create);

        app.MapGet("/api/admin/users/{id:int}/", async (HttpContext ctx, int id, Database db) =>
        {
            if (HealthEndpoints.StaffOnly(ctx) is { } refusal) return refusal;
            var row = await db.RowAsync($"{Select} WHERE u.id = $1", ctx.RequestAborted, id);
            return row is null ? Api.NotFound() : Api.Json(row);
        });

        async Task<IResult> SetActive(HttpContext ctx, int id, bool active, Database db, Logs logs)
        {
            if (HealthEndpoints.StaffOnly(ctx) is { } refusal) return refusal;
            var admin = TokenAuth.CurrentUser(ctx)!;
            if (id == admin.Id && !active) return Api.Fail(400, "Нельзя деактивировать собственную учетную запись");
            if (await db.ExecAsync("UPDATE accounts_user SET is_active = $2 WHERE id = $1", ctx.RequestAborted, id, active) == 0) return Api.NotFound();
            if (!active) await db.ExecAsync("DELETE FROM authtoken_token WHERE user_id = $1", ctx.RequestAborted, id);
            logs.Admin.Write($"user {(active ? "activated" : "deactivated")} id={id} by={admin.Email} ip={ctx.Connection.RemoteIpAddress}");
            await Audit(db, admin.Id, active ? "user_activate" : "user_deactivate", $"user:{id}", ctx);
            return Results.Json(new { success = true, message = active ? "Пользователь активирован" : "Пользователь деактивирован", user_id = id, is_active = active });
        }
        app.MapPost("/api/admin/users/{id:int}/deactivate/", (HttpContext ctx, int id, Database db, Logs logs) => SetActive(ctx, id, false, db, logs));
        app.MapPost("/api/admin/users/{id:int}/activate/", (HttpContext ctx, int id, Database db, Logs logs) => SetActive(ctx, id, true, db, logs));

        app.MapGet("/api/admin/audit/", async (HttpContext ctx, Database db) =>
        {
            if (HealthEndpoints.StaffOnly(ctx) is { } refusal) return refusal;
            return await Api.PageAsync(ctx, db, "SELECT id, user_id AS user, action, target, ip_address, created_at FROM core_auditlog", "id DESC");
        });
    }

    private static Task<int> Audit(Database db, int userId, string action, string target, HttpContext ctx) =>
        db.ExecAsync("INSERT INTO core_auditlog (user_id, action, target, ip_address) VALUES ($1, $2, $3, $4)", ctx.RequestAborted, userId, action, target, ctx.Connection.RemoteIpAddress?.ToString() ?? "");
}
