using Gate.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gate.Uat.Pages;

/// <summary>/assignments: the list with the student's answer form, the teacher's create form, submissions with grading.</summary>
public sealed class AssignmentsPage(IPage page) : AppShell(page)
{
    public ILocator Item(string title) => Page.GetByTestId("assignment-item").Filter(new() { HasText = title });
    public ILocator Submission(string title) => Page.GetByTestId("submission-item").Filter(new() { HasText = title });

    public Task OpenAsync() => GotoAsync("/assignments");

    public async Task CreateAsync(string title, int studentId)
    {
        await Step.RunAsync(Page, "the new-assignment form (Название, Описание, Инструкции, Срок сдачи, Ученики)", async () =>
        {
            await Page.GetByLabel("Название").FillAsync(title);
            await Page.GetByLabel("Описание").FillAsync("Задание приёмочного теста");
            await Page.GetByLabel("Инструкции").FillAsync("Приложите файл с решением.");
            await Page.GetByLabel("Максимальный балл").FillAsync("10");
            await Page.GetByLabel("Срок сдачи").FillAsync(DateTime.Now.AddDays(7).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            await Page.GetByLabel("Ученики (id через запятую)").FillAsync(studentId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Page.GetByTestId("assignment-create-button").ClickAsync();
        });
        await ExpectToastAsync("Задание создано", $"the toast 'Задание создано' after creating '{title}'");
        await Step.RunAsync(Page, $"the assignment '{title}' in the list after the page reloads", () => Expect(Item(title)).ToBeVisibleAsync());
    }

    public async Task SubmitAsync(string title, string answer, FilePayload file)
    {
        var item = Item(title);
        await Step.RunAsync(Page, $"the answer form of '{title}' (assignment-answer-input, assignment-file-input)", async () =>
        {
            await item.GetByTestId("assignment-answer-input").FillAsync(answer);
            await item.GetByTestId("assignment-file-input").SetInputFilesAsync(file);
            await item.GetByTestId("assignment-submit-button").ClickAsync();
        });
        await ExpectToastAsync("Ответ отправлен", $"the toast 'Ответ отправлен' after submitting '{title}' with the file {file.Name}");
    }

    public async Task GradeAsync(string title, string grade, string feedback)
    {
        var row = Submission(title);
        await Step.RunAsync(Page, $"the submission of '{title}' with a grade form (grade-input, feedback-input, grade-button)", async () =>
        {
            await Expect(row.GetByTestId("submission-status")).ToHaveTextAsync("submitted");
            await row.GetByTestId("grade-input").FillAsync(grade);
            await row.GetByTestId("feedback-input").FillAsync(feedback);
            await row.GetByTestId("grade-button").ClickAsync();
        });
        await ExpectToastAsync("Оценка сохранена", $"the toast 'Оценка сохранена' after grading '{title}'");
    }

    public Task ExpectSubmissionAsync(string title, string status, string? score = null) => Step.RunAsync(Page,
        $"the submission of '{title}' with status '{status}'{(score is null ? "" : $" and score '{score}'")}", async () =>
        {
            await Expect(Submission(title).GetByTestId("submission-status")).ToHaveTextAsync(status);
            if (score is not null) await Expect(Submission(title).GetByTestId("submission-score")).ToContainTextAsync(score);
        });
}
