using FluentAssertions;
using Gate.Browser;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Uat.Pages;
using Xunit;

namespace Gate.Uat.Workflows;

/// <summary>Restarting the platform disturbs every open page: these checks run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(PlatformRestart), DisableParallelization = true)]
public sealed class PlatformRestartCollection;

/// <summary>Checklist 15.3, data persistence across a platform restart (embedded default only).</summary>
[Collection(nameof(PlatformRestart))]
public sealed class PlatformRestart(GateEnvironment environment, BrowserHost host) : UatCheck(environment, host)
{
    [Check("UAT-020", "15.3", Severity = Severity.High)]
    public async Task Created_data_and_files_survive_a_platform_restart()
    {
        Require.That(Environment.Embedded is not null,
            $"the gate can restart only its embedded default; for {Settings.BaseUrl}, restart the platform and run UAT-019 again");
        await LeaseAsync("teacher");
        var teacher = await AsAsync("teacher", "/materials/new");
        var file = RandomFile("uat-restart");
        var title = Tagged("UAT после перезапуска");
        var id = await new NewMaterialPage(teacher.Page).CreateAsync(title, "Материал и файл должны пережить перезапуск платформы.", file);
        DeleteAfterwards(teacher, $"material {id}", $"/api/materials/materials/{id}/");

        await Environment.RestartPlatformAsync(Cancellation);

        await teacher.Page.ReloadAsync();
        var material = new MaterialPage(teacher.Page);
        await material.ExpectAsync(title);
        var bytes = await material.DownloadAsync();
        bytes.Should().Equal(file.Buffer, $"{file.Name} of /materials/{id} must download unchanged after the platform restarted");
    }
}
