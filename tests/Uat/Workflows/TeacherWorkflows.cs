using Gate.Browser;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Uat.Pages;

namespace Gate.Uat.Workflows;

/// <summary>Checklist 14.2, teacher: create materials, view student progress, grade assignments, create a chat room.</summary>
public sealed class TeacherWorkflows(GateEnvironment environment, BrowserHost host) : UatCheck(environment, host)
{
    [Check("UAT-005", "14.2", Severity = Severity.High)]
    public async Task Teacher_creates_a_material()
    {
        RequireWrites();
        var account = Account("teacher2", "teacher");
        await LeaseAsync(account);
        var teacher = await AsAsync(account, "/dashboard/teacher");
        var title = Tagged("UAT материал");

        await teacher.Shell.OpenSidebarAsync("Материалы");
        await teacher.Shell.ExpectPathAsync("/materials", "the sidebar's Материалы to open /materials");
        await new NewMaterialPage(teacher.Page).OpenAsync();
        var id = await new NewMaterialPage(teacher.Page).CreateAsync(title, "Содержание материала приёмочного теста.");
        DeleteAfterwards(teacher, $"material {id}", $"/api/materials/materials/{id}/");

        var materials = new MaterialsPage(teacher.Page);
        await materials.OpenAsync();
        await materials.ExpectListedAsync(title);
    }

    [Check("UAT-006", "14.2", Severity = Severity.High)]
    public async Task Teacher_sees_a_students_progress()
    {
        await LeaseAsync("teacher");
        var teacher = await AsAsync("teacher", "/dashboard/teacher");
        var student = await FirstNameInAsync(teacher, "/api/teacher/progress/", "students");

        await teacher.Shell.OpenSidebarAsync("Прогресс");
        await new ProgressPage(teacher.Page).ExpectProgressOfAsync(student);
    }

    [Check("UAT-007", "14.2", Severity = Severity.High)]
    public async Task Teacher_grades_a_submission()
    {
        RequireWrites();
        await LeaseAsync("teacher", "student");
        var teacher = await AsAsync("teacher", "/assignments");
        var student = await AsAsync("student", "/dashboard/student", "student");
        var title = Tagged("UAT задание на проверку");
        LeftBehind($"the assignment '{title}' and its graded submission");
        var assignments = new AssignmentsPage(teacher.Page);
        await assignments.CreateAsync(title, student.UserId);
        var studentView = new AssignmentsPage(student.Page);
        await studentView.OpenAsync();
        await studentView.SubmitAsync(title, "Готово.", RandomFile("uat-graded"));

        await teacher.Page.ReloadAsync();
        await assignments.GradeAsync(title, "8", "Хорошо");
        await assignments.ExpectSubmissionAsync(title, "graded", "8");
        await student.Page.ReloadAsync();
        await studentView.ExpectSubmissionAsync(title, "graded", "8");
    }

    [Check("UAT-008", "14.2", Severity = Severity.High)]
    public async Task Teacher_opens_a_chat_with_a_student()
    {
        RequireWrites();
        var account = Account("teacher2", "teacher");
        await LeaseAsync(account);
        var teacher = await AsAsync(account, "/chat");
        var student = await ContactAsync(teacher, "student");

        var text = Tagged("Добрый день! Проверил вашу работу");
        LeftBehind("a chat message");
        await new ChatPage(teacher.Page).SayAsync(student, text);
    }
}
