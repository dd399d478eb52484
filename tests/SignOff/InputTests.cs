using FluentAssertions;
using Gate.Cli;
using Gate.Cli.Inputs;
using Xunit;

namespace Gate.SignOff.Tests;

public class InputTests
{
    [Fact]
    public void Trx_from_a_real_run_is_read_with_outcomes_messages_and_methods()
    {
        var trx = TrxFile.Load(Path.Combine(TestData.Mixed, "Smoke.trx"));

        trx.Suite.Should().Be("Smoke");
        trx.Counters.Should().Be(new TrxCounters(Total: 6, Executed: 5, Passed: 3, Failed: 2));
        trx.Counters.Skipped.Should().Be(1);
        var readiness = trx.Results.Single(r => r.DisplayName.StartsWith("SMK-007", StringComparison.Ordinal));
        readiness.Outcome.Should().Be(Outcome.Failed);
        readiness.Message.Should().StartWith("Expected readiness at https://api.thebot.example.com/api/system/readiness/");
        readiness.StdOut.Should().Contain("-> 503");
        readiness.Method.Should().Be("Gate.Smoke.HealthChecks.Readiness_answers_200_within_budget");
        var metrics = trx.Results.Single(r => r.DisplayName.StartsWith("SMK-008", StringComparison.Ordinal));
        metrics.Outcome.Should().Be(Outcome.Skipped);
        metrics.RawOutcome.Should().Be("NotExecuted");
        metrics.Message.Should().StartWith("GATE_METRICS_URL is not set");
    }

    [Theory]
    [InlineData("SMK-006 [10.2,15.2] Liveness answers 200 within budget", "SMK-006", "10.2|15.2", "Liveness answers 200 within budget")]
    [InlineData("TLS-009 [2.3,15.6] HSTS max-age is at least 180 days(host: \"api.thebot.example.com\")", "TLS-009", "2.3|15.6", "HSTS max-age is at least 180 days(host: \"api.thebot.example.com\")")]
    [InlineData("LOAD-12 [13.2] p95 under 500 ms", "LOAD-12", "13.2", "p95 under 500 ms")]
    public void Display_names_carry_id_items_and_title(string name, string id, string items, string title)
    {
        var check = CheckName.Parse(name);

        check.Should().NotBeNull();
        check!.Id.Should().Be(id);
        string.Join("|", check.Items).Should().Be(items);
        check.Title.Should().Be(title);
    }

    [Theory]
    [InlineData("Gate.Smoke.Plumbing.Settings_resolve_from_environment")]
    [InlineData("smk-006 [10.2] lower case is not an ID")]
    [InlineData("SMK-006 no brackets")]
    public void Other_test_names_carry_no_check(string name) => CheckName.Parse(name).Should().BeNull();

    [Fact]
    public void Theory_rows_of_one_check_are_separate_results_with_the_same_id()
    {
        var trx = TrxFile.Load(Path.Combine(TestData.Mixed, "Security.trx"));

        trx.Results.Where(r => r.Check?.Id == "TLS-009").Should().HaveCount(2).And.OnlyContain(r => r.Outcome == Outcome.Passed);
    }

    [Fact]
    public void Catalog_keeps_sections_and_items_in_checklist_order()
    {
        var catalog = Catalog.Load(TestData.Catalog);

        catalog.Sections.Select(s => s.Number).Should().Equal(Enumerable.Range(1, 18).Select(i => i.ToString()));
        catalog.Items.Should().HaveCount(52);
        catalog.Find("5.1")!.Verifiable.Should().BeFalse();
        catalog.Find("5.1")!.Manual.Should().StartWith("Building and pushing images");
        catalog.Find("10.2")!.Signer.Should().Be("DevOps Engineer");
    }

    [Fact]
    public void The_committed_catalog_loads_and_names_only_the_four_sign_off_roles()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "checklist", "catalog.yaml"))) root = Path.GetDirectoryName(root)!;

        var catalog = Catalog.Load(Path.Combine(root, "checklist", "catalog.yaml"));

        catalog.Items.Select(i => i.Signer).Distinct().Should().BeSubsetOf(Catalog.SignOffRoles);
        catalog.Items.Where(i => !i.Verifiable).Should().OnlyContain(i => !string.IsNullOrWhiteSpace(i.Manual));
        catalog.Items.Where(i => i.Verifiable).Should().OnlyContain(i => !string.IsNullOrWhiteSpace(i.Expect));
    }

    [Fact]
    public void A_crashed_test_host_shows_as_a_note_and_its_checks_as_not_run()
    {
        var dir = TestData.TempDir();
        var trx = TestData.Trx().Replace("</ResultSummary>", """
                <RunInfos>
                  <RunInfo computerName="ci" outcome="Error" timestamp="2026-12-04T10:00:05.0000000+00:00">
                    <Text>The active test run was aborted. Reason: Test host process crashed : Stack overflow.</Text>
                  </RunInfo>
                  <RunInfo computerName="ci" outcome="Error" timestamp="2026-12-04T10:00:05.0000000+00:00">
                    <Text>[xUnit.net 00:00:01.62]     SMK-007 [1.2] Readiness [FAIL]</Text>
                  </RunInfo>
                </RunInfos>
              </ResultSummary>
            """);
        TestData.Write(dir, "Smoke.trx", trx);
        TestData.Write(dir, "manifest/Smoke.json", """{"suite":"Smoke","checks":[{"id":"SMK-006","items":["1.1"],"severity":"Critical","title":"Liveness","required":true}]}""");

        var report = TestData.Build(dir, catalog: TestData.Dir("catalog-mini.yaml"));

        report.Notes.Should().ContainSingle(n => n.StartsWith("Smoke.trx reports a run error"))
            .Which.Should().EndWith("Test host process crashed : Stack overflow.");
        report.Checks.Single().Status.Should().Be(Gate.Cli.SignOff.Status.NotRun);
        report.Blockers.Select(b => b.Kind).Should().Contain([Gate.Cli.SignOff.BlockerKind.NoResults, Gate.Cli.SignOff.BlockerKind.NotRun]);
    }

    [Fact]
    public void A_broken_trx_is_a_config_error_naming_the_file()
    {
        var dir = TestData.TempDir();
        var path = TestData.Write(dir, "Smoke.trx", "<TestRun><Results>");

        var act = () => TrxFile.Load(path);

        act.Should().Throw<GateConfigException>().WithMessage($"{path}:*not a valid trx file*");
    }

    [Fact]
    public void Manifest_and_evidence_files_in_the_lead_fixture_format_are_read()
    {
        var results = ResultsFolder.Load(TestData.Mixed);

        results.Manifests.Select(m => m.Suite).Should().Equal("Security", "Smoke");
        var obs = results.Manifests.Single(m => m.Suite == "Security").Checks.Single(c => c.Id == "OBS-002");
        obs.Required.Should().BeFalse();
        obs.Severity.Should().Be("Low");
        results.Evidence["TLS-003"].Should().Contain(KeyValuePair.Create("days_to_expiry", "89"));
        results.Attachments["SMK-007"].Select(Path.GetFileName).Should().Equal("readiness-response.json");
    }
}

/// <summary>Fixtures/smoke-faults is a real run of tests/Smoke (GATE_FAULTS=websocket-broken,redis-without-password,slow-api):
/// the manifest, evidence and trx exactly as the lead's fixtures write them.</summary>
public class RealSmokeRunTests
{
    [Fact]
    public void A_real_smoke_run_maps_onto_the_checklist()
    {
        var report = TestData.Build(TestData.Dir("smoke-faults"));

        report.Checks.Should().HaveCount(15).And.OnlyContain(c => c.InManifest && c.Severity != "Unknown");
        report.Checks.Where(c => c.Status == Gate.Cli.SignOff.Status.Failed).Select(c => c.Id).Should().Equal("SMK-005", "SMK-014");
        report.OtherTests.Should().BeEmpty();
        report.Blockers.First().Text.Should().StartWith("1.3 Redis/Cache Configuration: failed SMK-014 (Critical)");
        report.Checks.Single(c => c.Id == "SMK-013").Evidence.Should().Contain(KeyValuePair.Create("redis_version", "7.0.15"));
    }
}
