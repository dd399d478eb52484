using System.Net.Mail;
using TheBot.Reference.Data;

namespace TheBot.Reference.Features;

/// <summary>Public applications (contract §4): submit, then follow the status by tracking token.</summary>
public static class Applications
{
    public static readonly string[] ApplicantTypes = ["student", "parent", "teacher", "tutor"];

    public static void MapApplications(this WebApplication app)
    {
        app.MapPost("/api/applications/submit/", async (HttpContext ctx, Database db, Throttle throttle) =>
        {
            if (await throttle.CheckAsync(ctx, "anon", $"ip:{ctx.Connection.RemoteIpAddress}") is { } throttled) return throttled;
            var input = await Input.ReadAsync(ctx);
            string? first = input.Str("first_name"), last = input.Str("last_name"), email = input.Str("email"), phone = input.Str("phone");
            var type = input.Str("applicant_type") ?? "student";
            if (!input.Valid || string.IsNullOrWhiteSpace(first) || string.IsNullOrWhiteSpace(last) || string.IsNullOrWhiteSpace(phone)
                || !MailAddress.TryCreate(email, out _) || !ApplicantTypes.Contains(type) || phone.Count(char.IsDigit) < 10)
                return Api.Validation();
            var token = Guid.NewGuid();
            await db.ExecAsync("INSERT INTO applications_application (tracking_token, first_name, last_name, email, phone, applicant_type, grade, motivation) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                ctx.RequestAborted, token, first, last, email, phone, type, input.Str("grade") ?? "", input.Str("motivation") ?? "");
            return Results.Json(new { success = true, message = "Заявка принята", tracking_token = token, status = "pending" }, statusCode: 201);
        });

        app.MapGet("/api/applications/status/{token:guid}/", async (HttpContext ctx, Guid token, Database db) =>
        {
            var row = await db.RowAsync("SELECT tracking_token, status, applicant_type, created_at FROM applications_application WHERE tracking_token = $1", ctx.RequestAborted, token);
            return row is null ? Api.NotFound() : Api.Json(row);
        });
    }
}
