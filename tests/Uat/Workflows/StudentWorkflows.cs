using Gate.Browser;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Uat.Pages;

namespace Gate.Uat.Workflows;

/// <summary>Checklist 14.2, student: sign in and view materials, submit assignments, view progress, chat.</summary>
public sealed class StudentWorkflows(GateEnvironment environment, BrowserHost host) : UatCheck(environment, host)
{
    [Check("UAT-001", "14.2, 15.3", Severity = Severity.Critical)]
    public async Task Student_signs_in_and_opens_a_material()
    {
        await LeaseAsync("student");
        var student = await SignInAsync("student");

        await student.Shell.ExpectSidebarAsync("Главная", "Предметы", "Материалы", "Расписание", "Чат", "Граф знаний");
        await student.Shell.OpenSidebarAsync("Материалы");
        var title = await new MaterialsPage(student.Page).OpenFirstAsync();
        await new MaterialPage(student.Page).ExpectAsync(title);
    }

    [Check("UAT-002", "14.2, 15.3", Severity = Severity.Critical)]
    public async Task Student_submits_an_assignment_with_a_file()
    {
        RequireWrites();
        await LeaseAsync("teacher", "student");
        var student = await AsAsync("student", "/assignments");
        var teacher = await AsAsync("teacher", "/assignments", "teacher");
        var title = Tagged("UAT домашнее задание");
        LeftBehind($"the assignment '{title}' and its submission");
        await new AssignmentsPage(teacher.Page).CreateAsync(title, student.UserId);

        var assignments = new AssignmentsPage(student.Page);
        await assignments.OpenAsync();
        await assignments.SubmitAsync(title, "Решение во вложении.", RandomFile("uat-answer"));
        await student.Page.ReloadAsync();
        await assignments.ExpectSubmissionAsync(title, "submitted");
    }

    [Check("UAT-003", "14.2", Severity = Severity.High)]
    public async Task Student_sees_their_progress()
    {
        var account = Account("student2", "student");
        await LeaseAsync(account);
        var student = await AsAsync(account, "/dashboard/student");

        await student.Shell.OpenSidebarAsync("Предметы");
        await new ProgressPage(student.Page).ExpectProgressOfAsync("Общий прогресс");
    }

    [Check("UAT-004", "14.2", Severity = Severity.High)]
    public async Task Student_chats_with_their_tutor()
    {
        RequireWrites();
        await LeaseAsync("student");
        var student = await AsAsync("student", "/dashboard/student");
        var tutor = await ContactAsync(student, "tutor");

        await student.Shell.OpenSidebarAsync("Чат");

        // Markup in a message must be shown as typed, not interpreted (stored XSS).
        var text = Tagged("Здравствуйте! Вопрос по <b>домашнему</b> заданию");
        LeftBehind("a chat message");
        await new ChatPage(student.Page).SayAsync(tutor, text);
    }
}
