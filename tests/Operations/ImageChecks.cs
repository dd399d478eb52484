using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Operations;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Settings;

namespace Gate.Operations;

/// <summary>Checklist 5.2: size, user, secrets, tags and vulnerabilities of the release's images.</summary>
public sealed class ImageChecks(GateEnvironment environment) : OperationsCheck(environment)
{
    [Check("IMG-001", "5.2", Severity = Severity.Medium)]
    public async Task Backend_image_is_under_400_MB()
    {
        var backend = Image(await ImagesAsync(), "backend");

        Evidence.Record("backend_mb", backend.SizeMb.ToString("F0"));
        backend.SizeMb.Should().BeLessThan(400, $"the backend image ({string.Join(", ", backend.RepoTags)}, {backend.Source}) must be under 400 MB; it is {backend.SizeMb:F0} MB");
    }

    [Check("IMG-002", "5.2", Severity = Severity.Medium)]
    public async Task Frontend_image_is_under_100_MB()
    {
        var frontend = Image(await ImagesAsync(), "frontend");

        Evidence.Record("frontend_mb", frontend.SizeMb.ToString("F0"));
        frontend.SizeMb.Should().BeLessThan(100, $"the frontend image ({string.Join(", ", frontend.RepoTags)}, {frontend.Source}) must be under 100 MB; it is {frontend.SizeMb:F0} MB");
    }

    [Check("IMG-003", "5.2", Severity = Severity.High)]
    public async Task Images_run_as_a_non_root_user()
    {
        var images = await ImagesAsync();

        var root = images.Where(i => i.RunsAsRoot).Select(i => $"{i.Role} ({i.Source}): Config.User='{i.User}'").ToList();
        root.Should().BeEmpty($"every image must set a non-root USER in its Dockerfile; root:{List(root)}");
    }

    [Check("IMG-004", "5.2, 1.1", Severity = Severity.Critical)]
    public async Task No_secrets_are_baked_into_image_env_or_labels()
    {
        var images = await ImagesAsync();

        var secrets = images.SelectMany(ContainerImages.SecretsIn).ToList();
        secrets.Should().BeEmpty($"secrets must come from the runtime environment, not image ENV or LABEL (anyone who pulls the image reads them); found (values withheld):{List(secrets)}");
    }

    [Check("IMG-005", "5.2, 6.1", Severity = Severity.Medium)]
    public async Task Image_tags_are_versions_not_latest()
    {
        var images = await ImagesAsync();

        var floating = images.SelectMany(i => i.RepoTags.Where(t => !ImageReference.IsPinned(t)).Select(t => $"{i.Role}: {t}")).ToList();
        floating.Should().BeEmpty($"release images must be tagged with their version (e.g. :1.0.0), not a floating tag;{List(floating)}");
    }

    [Check("IMG-006", "5.2", Severity = Severity.Critical)]
    public void The_vulnerability_scan_has_no_CRITICAL_findings()
    {
        var report = Input(SettingNames.TrivyReport, "no Trivy report");

        var findings = Load(report, TrivyReport.Load);

        Evidence.Record("findings_by_severity", string.Join(", ", findings.GroupBy(f => f.Severity).Select(g => $"{g.Key}={g.Count()}")));
        var critical = findings.Where(f => f.Severity == "CRITICAL").Select(f => f.ToString());
        critical.Should()
            .BeEmpty($"`trivy image` must report no CRITICAL vulnerability ({report}); rebuild on patched base images");
    }
}
