using FluentAssertions;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Settings;
using Xunit;

namespace Gate.SelfTests;

/// <summary>Every check traces to the checklist; the catalog and README stay in step with the code.</summary>
public sealed class TraceabilityTests
{
    private static readonly ChecklistCatalog Catalog = ChecklistCatalog.Load();

    private static async Task<IReadOnlyList<(string Suite, string Id, string[] Items, string DisplayName)>> AllChecksAsync()
    {
        var all = new List<(string, string, string[], string)>();
        foreach (var suite in SuiteRunner.BuiltSuites) all.AddRange(await SuiteRunner.ListAsync(suite));
        return all;
    }

    [Fact]
    public void The_catalog_lists_every_checklist_subsection_once()
    {
        var checklist = File.ReadAllLines(Path.Combine(SuiteRunner.Root, "checklist", "deployment-checklist.md"));
        var headings = checklist.Where(l => l.StartsWith("#### ", StringComparison.Ordinal))
            .Select(l => l[5..].Split(' ')[0]).ToList();

        Catalog.Items.Select(i => i.Id).Should().OnlyHaveUniqueItems();
        Catalog.Items.Select(i => i.Id).Should().BeEquivalentTo(headings, "the catalog mirrors the checklist's numbered subsections");
        Catalog.Items.Where(i => !i.Verifiable).Should().OnlyContain(i => !string.IsNullOrWhiteSpace(i.Manual), "a manual item says why the gate cannot verify it");
    }

    [Fact]
    public void The_checklist_copy_in_the_repository_matches_the_shared_specification()
    {
        var shared = Path.Combine(SuiteRunner.Root, "..", "shared", "checklist", "deployment-checklist.md");
        Assert.SkipUnless(File.Exists(shared), "no shared/ folder beside this checkout to compare with");

        File.ReadAllText(Path.Combine(SuiteRunner.Root, "checklist", "deployment-checklist.md")).Should()
            .Be(File.ReadAllText(shared), "the checklist changed: update checklist/deployment-checklist.md and catalog.yaml together");
    }

    [Fact]
    public async Task Every_check_names_known_verifiable_checklist_items()
    {
        var checks = await AllChecksAsync();
        checks.Should().NotBeEmpty();

        foreach (var check in checks)
        {
            check.Id.Should().MatchRegex(@"^[A-Z]+-\d{3}$", $"{check.DisplayName} in {check.Suite} needs a stable ID like SMK-001");
            check.Items.Should().NotBeEmpty($"{check.Id} must name the checklist item it verifies");
            foreach (var item in check.Items)
            {
                var entry = Catalog.Find(item);
                entry.Should().NotBeNull($"{check.Id} ({check.Suite}) names checklist item {item}, which is not in checklist/catalog.yaml");
                entry!.Verifiable.Should().BeTrue($"{check.Id} names item {item}, which the catalog marks manual");
            }
            SuiteRunner.SuiteOf(check.Id).Should().Be(check.Suite, $"the prefix of {check.Id} belongs to another suite (CONTRIBUTING.md)");
        }
    }

    [Fact]
    public async Task Check_IDs_are_unique_across_suites()
    {
        var checks = await AllChecksAsync();

        // A [CheckTheory] yields several rows under one ID; one ID still belongs to one method.
        var owners = checks.GroupBy(c => c.Id).Where(g => g.Select(c => c.DisplayName.Split('(')[0]).Distinct().Count() > 1).Select(g => g.Key);
        owners.Should().BeEmpty("a check ID is never reused");
    }

    [Fact]
    public async Task Checklist_coverage_is_printed()
    {
        var checks = await AllChecksAsync();
        var covered = checks.SelectMany(c => c.Items).ToHashSet();
        var verifiable = Catalog.Items.Where(i => i.Verifiable).ToList();
        var missing = verifiable.Where(i => !covered.Contains(i.Id)).Select(i => i.Id).ToList();

        var line = $"checklist coverage: {verifiable.Count - missing.Count}/{verifiable.Count} verifiable items have checks ({checks.Count} checks in {SuiteRunner.BuiltSuites.Count} suites)"
                   + (missing.Count > 0 ? $"; not covered: {string.Join(", ", missing)}" : "");
        TestContext.Current.SendDiagnosticMessage(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Directory.CreateDirectory(ResultsDirectory);
        await File.WriteAllTextAsync(Path.Combine(ResultsDirectory, "coverage.txt"), line + "\n", TestContext.Current.CancellationToken);

        (verifiable.Count - missing.Count).Should().BeGreaterThan(0);
    }

    [Fact]
    public void The_README_documents_every_setting()
    {
        var readme = File.ReadAllText(Path.Combine(SuiteRunner.Root, "README.md"));

        SettingNames.All.Select(s => s.Name).Where(n => !readme.Contains($"`{n}`", StringComparison.Ordinal))
            .Should().BeEmpty("the README's configuration table lists every GATE_* variable");
    }

    public static string ResultsDirectory =>
        Environment.GetEnvironmentVariable("GATE_RESULTS_DIR") ?? Path.Combine(SuiteRunner.Root, "results", "selftests");
}
