using System.Diagnostics;
using FluentAssertions;
using Gate.Browser;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Reporting;
using Gate.Uat.Pages;

namespace Gate.Uat.Workflows;

/// <summary>Checklist 15.3: login/logout, persistence, uploads, real-time chat (reports and payments: UAT-010, UAT-013).</summary>
public sealed class SignOffFunctionality(GateEnvironment environment, BrowserHost host) : UatCheck(environment, host)
{
    [Check("UAT-018", "15.3", Severity = Severity.Critical)]
    public async Task Logout_ends_the_session()
    {
        await LeaseAsync("student2");
        var student = await SignInAsync("student2");
        var session = (await student.Page.Context.CookiesAsync()).FirstOrDefault(c => c.Name == "sessionid")?.Value;
        Redactor.AddSecret(session);

        await student.Shell.LogoutAsync();
        Forget("student2");

        var byToken = await Api.GetAsync("/api/auth/me/", student.Token, ct: Cancellation);
        byToken.Should().HaveStatus(401, "the API token the browser held before logout must stop working");
        if (session is not null)
        {
            var byCookie = await Api.GetAsync("/api/auth/me/", headers: new Dictionary<string, string> { ["Cookie"] = $"sessionid={session}" }, ct: Cancellation);
            byCookie.Should().HaveStatus(401, "the session cookie the browser held before logout must stop working");
        }
        await student.Shell.GotoAsync("/dashboard/student");
        await student.Shell.ExpectPathAsync("/auth/signin", "the dashboard, opened again after logout, to send the user to /auth/signin");
    }

    [Check("UAT-019", "15.3", Severity = Severity.Critical)]
    public async Task Created_data_survives_a_reload_and_a_fresh_sign_in()
    {
        RequireWrites();
        var account = Account("teacher2", "teacher");
        await LeaseAsync(account);
        var teacher = await AsAsync(account, "/materials/new");
        var title = Tagged("UAT сохранность данных");
        var id = await new NewMaterialPage(teacher.Page).CreateAsync(title, "Этот материал должен пережить перезагрузку и новый вход.");
        DeleteAfterwards(() => teacher, $"material {id}", $"/api/materials/materials/{id}/");

        await teacher.Page.ReloadAsync();
        await new MaterialPage(teacher.Page).ExpectAsync(title);
        await teacher.Shell.LogoutAsync();
        Forget(account);

        teacher = await SignInAsync(account, "teacher-again");
        var materials = new MaterialsPage(teacher.Page);
        await materials.OpenAsync();
        await materials.ExpectListedAsync(title);
    }

    [Check("UAT-021", "15.3", Severity = Severity.Critical)]
    public async Task Uploaded_file_downloads_byte_for_byte()
    {
        RequireWrites();
        var (teacherAccount, studentAccount) = (Account("teacher2", "teacher"), Account("student2", "student"));
        await LeaseAsync(teacherAccount, studentAccount);
        var teacher = await AsAsync(teacherAccount, "/materials/new");
        var file = RandomFile("uat-material");
        var title = Tagged("UAT файл");
        var id = await new NewMaterialPage(teacher.Page).CreateAsync(title, "Материал с приложенным файлом для проверки.", file, isPublic: true);
        DeleteAfterwards(teacher, $"material {id}", $"/api/materials/materials/{id}/");

        var mine = await new MaterialPage(teacher.Page).DownloadAsync();
        mine.Should().Equal(file.Buffer, $"the file downloaded from /materials/{id} must be the {file.Buffer.Length} bytes of {file.Name} the teacher uploaded");

        var student = await AsAsync(studentAccount, $"/materials/{id}", "student");
        var theirs = await new MaterialPage(student.Page).DownloadAsync();
        theirs.Should().Equal(file.Buffer, $"a student downloading {file.Name} from /materials/{id} must get the uploaded bytes");
    }

    [Check("UAT-022", "15.3, 15.1", Severity = Severity.Critical)]
    public async Task Chat_message_reaches_the_other_side_live_within_2_seconds()
    {
        RequireWrites();
        await LeaseAsync("student2", "tutor");
        var student = await AsAsync("student2", "/chat");
        var tutor = await AsAsync("tutor", "/chat", "tutor");
        var tutorName = await ContactAsync(student, "tutor");

        var studentChat = new ChatPage(student.Page);
        await studentChat.OpenWithAsync(tutorName);
        await studentChat.ExpectLiveAsync();
        var tutorChat = new ChatPage(tutor.Page);
        await tutorChat.OpenWithAsync(student.FullName);
        await tutorChat.ExpectLiveAsync();

        var question = Tagged("Вопрос в реальном времени");
        LeftBehind("two chat messages");
        var sent = Stopwatch.StartNew();
        await studentChat.SendAsync(question);
        await tutorChat.ExpectMessageAsync(question, $"the student's message to appear in the tutor's open chat within 2 s, without a reload", 2000);
        Evidence.Record("student_to_tutor_ms", sent.ElapsedMilliseconds);

        var answer = Tagged("Ответ в реальном времени");
        sent.Restart();
        await tutorChat.SendAsync(answer);
        await studentChat.ExpectMessageAsync(answer, $"the tutor's answer to appear in the student's open chat within 2 s, without a reload", 2000);
        Evidence.Record("tutor_to_student_ms", sent.ElapsedMilliseconds);
    }
}
