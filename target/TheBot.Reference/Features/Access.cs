using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>
/// Who may see and do what (contract §3): the visibility rules as SQL predicates and the role
/// checks, including the faults that bend them (role-escalation, idor).
/// </summary>
public static class Access
{
    public static PlatformOptions Options(HttpContext ctx) => ctx.RequestServices.GetRequiredService<PlatformOptions>();

    /// <summary>Role check. role-escalation: the permission class forgets to exclude students.</summary>
    public static bool Is(HttpContext ctx, PlatformUser u, params string[] roles) =>
        roles.Contains(u.Role) || (u.Role == "student" && Options(ctx).Faults.Has(Fault.RoleEscalation));

    /// <summary>idor: object-level permission checks skipped (the object is looked up by id alone).</summary>
    public static bool Idor(HttpContext ctx) => Options(ctx).Faults.Has(Fault.Idor);

    public static string ChildrenOf(int parentId) => $"SELECT user_id FROM accounts_studentprofile WHERE parent_id = {parentId}";

    /// <summary>Materials: all for teachers and tutors; enrolled subjects, public and assigned for a student; children's for a parent.</summary>
    public static string MaterialVisible(PlatformUser u, string m = "m") => u.Role switch
    {
        "teacher" or "tutor" => "TRUE",
        "student" => StudentMaterial(m, $"= {u.Id}"),
        "parent" => StudentMaterial(m, $"IN ({ChildrenOf(u.Id)})"),
        _ => "FALSE",
    };

    private static string StudentMaterial(string m, string who) =>
        $"({m}.is_public OR {m}.subject_id IN (SELECT subject_id FROM materials_subjectenrollment WHERE is_active AND student_id {who})" +
        $" OR {m}.id IN (SELECT material_id FROM materials_material_assigned_to WHERE user_id {who}))";

    public static string AssignmentVisible(PlatformUser u, string a = "a") => u.Role switch
    {
        "teacher" or "tutor" => "TRUE",
        "student" => $"{a}.id IN (SELECT assignment_id FROM assignments_assignment_assigned_to WHERE user_id = {u.Id})",
        "parent" => $"{a}.id IN (SELECT assignment_id FROM assignments_assignment_assigned_to WHERE user_id IN ({ChildrenOf(u.Id)}))",
        _ => "FALSE",
    };

    public static string SubmissionVisible(PlatformUser u, string s = "s") => u.Role switch
    {
        "teacher" or "tutor" => "TRUE",
        "student" => $"{s}.student_id = {u.Id}",
        "parent" => $"{s}.student_id IN ({ChildrenOf(u.Id)})",
        _ => "FALSE",
    };

    public static string ReportVisible(PlatformUser u, string r = "r") => u.Role switch
    {
        "teacher" or "tutor" => "TRUE",
        "student" => $"{r}.student_id = {u.Id}",
        "parent" => $"{r}.student_id IN ({ChildrenOf(u.Id)})",
        _ => "FALSE",
    };

    /// <summary>
    /// The chat permission matrix: staff with anyone; student–teacher by active enrollment;
    /// teacher–parent by an enrolled child; student–tutor by the tutor link; tutor–parent by a
    /// shared child; teacher–tutor by a shared student. Same-role pairs and student–parent: never.
    /// </summary>
    public static string CanChatSql(string a, string b) => $"""
        (SELECT CASE
          WHEN ua.id = ub.id OR NOT ua.is_active OR NOT ub.is_active THEN FALSE
          WHEN ua.is_staff OR ub.is_staff THEN TRUE
          WHEN ua.role = ub.role THEN FALSE
          WHEN ua.role = 'student' AND ub.role = 'teacher' THEN EXISTS (SELECT 1 FROM materials_subjectenrollment e WHERE e.is_active AND e.student_id = ua.id AND e.teacher_id = ub.id)
          WHEN ua.role = 'teacher' AND ub.role = 'student' THEN EXISTS (SELECT 1 FROM materials_subjectenrollment e WHERE e.is_active AND e.student_id = ub.id AND e.teacher_id = ua.id)
          WHEN ua.role = 'teacher' AND ub.role = 'parent' THEN EXISTS (SELECT 1 FROM materials_subjectenrollment e JOIN accounts_studentprofile p ON p.user_id = e.student_id WHERE e.is_active AND e.teacher_id = ua.id AND p.parent_id = ub.id)
          WHEN ua.role = 'parent' AND ub.role = 'teacher' THEN EXISTS (SELECT 1 FROM materials_subjectenrollment e JOIN accounts_studentprofile p ON p.user_id = e.student_id WHERE e.is_active AND e.teacher_id = ub.id AND p.parent_id = ua.id)
          WHEN ua.role = 'student' AND ub.role = 'tutor' THEN EXISTS (SELECT 1 FROM accounts_studentprofile p WHERE p.user_id = ua.id AND p.tutor_id = ub.id)
          WHEN ua.role = 'tutor' AND ub.role = 'student' THEN EXISTS (SELECT 1 FROM accounts_studentprofile p WHERE p.user_id = ub.id AND p.tutor_id = ua.id)
          WHEN ua.role = 'tutor' AND ub.role = 'parent' THEN EXISTS (SELECT 1 FROM accounts_studentprofile p WHERE p.tutor_id = ua.id AND p.parent_id = ub.id)
          WHEN ua.role = 'parent' AND ub.role = 'tutor' THEN EXISTS (SELECT 1 FROM accounts_studentprofile p WHERE p.tutor_id = ub.id AND p.parent_id = ua.id)
          WHEN ua.role = 'teacher' AND ub.role = 'tutor' THEN EXISTS (SELECT 1 FROM materials_subjectenrollment e JOIN accounts_studentprofile p ON p.user_id = e.student_id WHERE e.is_active AND e.teacher_id = ua.id AND p.tutor_id = ub.id)
          WHEN ua.role = 'tutor' AND ub.role = 'teacher' THEN EXISTS (SELECT 1 FROM materials_subjectenrollment e JOIN accounts_studentprofile p ON p.user_id = e.student_id WHERE e.is_active AND e.teacher_id = ub.id AND p.tutor_id = ua.id)
          ELSE FALSE END
         FROM accounts_user ua, accounts_user ub WHERE ua.id = {a} AND ub.id = {b})
        """;
}

/// <summary>Material files: at most 50 MB, the contract's extensions only; stored under the media folder.</summary>
public static class Uploads
{
    public const long MaxBytes = 50L * 1024 * 1024;
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".mp4", ".mp3", ".txt", ".jpg", ".jpeg", ".png", ".gif", ".zip", ".rar", ".7z",
    };

    public static bool Acceptable(IFormFile file, PlatformOptions options) =>
        options.Faults.Has(Fault.UploadUnrestricted)
        || (file.Length is > 0 and <= MaxBytes && Extensions.Contains(Path.GetExtension(file.FileName)));

    /// <summary>Saves the file as {folder}/{random}_{name}; returns the path relative to /media/.</summary>
    public static async Task<string> SaveAsync(IFormFile file, string folder, PlatformOptions options, CancellationToken ct)
    {
        var name = Path.GetFileName(file.FileName).Replace(' ', '_');
        var safe = new string(name.Where(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-').ToArray());
        if (safe.Length == 0) safe = "file";
        var relative = $"{folder}/{Guid.NewGuid():N}_{safe}";
        var full = Path.Combine(options.MediaDirectory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await using var target = File.Create(full);
        await file.CopyToAsync(target, ct);
        return relative;
    }

    public static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".pdf" => "application/pdf", ".txt" => "text/plain; charset=utf-8", ".jpg" or ".jpeg" => "image/jpeg", ".png" => "image/png",
        ".gif" => "image/gif", ".mp4" => "video/mp4", ".mp3" => "audio/mpeg", ".zip" => "application/zip",
        ".html" or ".htm" => "text/html; charset=utf-8", ".svg" => "image/svg+xml", ".js" => "text/javascript",
        _ => "application/octet-stream",
    };

    public static void MapMedia(this WebApplication app, PlatformOptions options)
    {
        app.MapGet("/media/{**path}", (HttpContext ctx, string path) =>
        {
            if (TokenAuth.CurrentUser(ctx) is null) return Drf.NotAuthenticated();
            var root = Path.GetFullPath(options.MediaDirectory);
            var full = Path.GetFullPath(Path.Combine(root, path));
            if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full)) return Api.NotFound();
            var type = ContentType(full);
            // Only the unrestricted-upload fault serves active content inline; otherwise downloads are attachments.
            if (!options.Faults.Has(Fault.UploadUnrestricted)) ctx.Response.Headers.ContentDisposition = $"attachment; filename=\"{Path.GetFileName(full)}\"";
            return Results.File(full, type);
        });
    }
}
