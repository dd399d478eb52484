using Gate.Browser;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Uat.Pages;
using static Microsoft.Playwright.Assertions;

namespace Gate.Uat.Workflows;

/// <summary>Checklist 14.2, tutor: their students and a student's progress, reports, chat.</summary>
public sealed class TutorWorkflows(GateEnvironment environment, BrowserHost host) : UatCheck(environment, host)
{
    [Check("UAT-009", "14.2", Severity = Severity.High)]
    public async Task Tutor_sees_their_students_and_a_students_progress()
    {
        await LeaseAsync("tutor");
        var tutor = await AsAsync("tutor", "/dashboard/tutor");
        var student = await FirstNameInAsync(tutor, "/api/dashboard/tutor/", "students");

        await tutor.Shell.ExpectSidebarAsync("Главная", "Мои ученики", "Отчёты", "Счета", "Чат");
        await Step.RunAsync(tutor.Page, $"'{student}' in the tutor's student list (student-list / student-item)",
            () => Expect(tutor.Page.GetByTestId("student-item").Filter(new() { HasText = student })).ToBeVisibleAsync());
        await tutor.Shell.OpenSidebarAsync("Мои ученики");
        await new ProgressPage(tutor.Page).ExpectProgressOfAsync(student);
    }

    [Check("UAT-010", "14.2, 15.3", Severity = Severity.High)]
    public async Task Tutor_creates_and_generates_a_report()
    {
        RequireWrites();
        await LeaseAsync("tutor");
        var tutor = await AsAsync("tutor", "/dashboard/tutor");
        var title = Tagged("UAT отчёт тьютора");
        LeftBehind($"the report '{title}'");

        await tutor.Shell.OpenSidebarAsync("Отчёты");
        var reports = new ReportsPage(tutor.Page);
        await reports.CreateAsync(title, "weekly");
        await reports.GenerateAsync(title);
    }

    [Check("UAT-011", "14.2", Severity = Severity.High)]
    public async Task Tutor_chats_with_a_parent()
    {
        RequireWrites();
        await LeaseAsync("tutor");
        var tutor = await AsAsync("tutor", "/chat");
        var parent = await ContactAsync(tutor, "parent");

        var text = Tagged("Здравствуйте! Отчёт за неделю готов");
        LeftBehind("a chat message");
        await new ChatPage(tutor.Page).SayAsync(parent, text);
    }
}
