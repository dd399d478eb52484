using FluentAssertions;
using Gate.Cli.SignOff;
using Xunit;

namespace Gate.SignOff.Tests;

public class StatusAndVerdictTests
{
    private static readonly SignOffReport Mixed = TestData.Build(TestData.Mixed, TestData.Waivers("mixed"));

    private static ItemResult Item(SignOffReport r, string id) => r.AllItems.Single(i => i.Item.Id == id);

    [Theory]
    [InlineData("1.1", Status.Failed)]      // CFG-001 failed
    [InlineData("1.2", Status.NotRun)]      // DB-004 in the manifest, absent from trx
    [InlineData("1.3", Status.NotCovered)]  // no check names 1.3
    [InlineData("2.1", Status.Passed)]      // TLS-003 passed
    [InlineData("2.3", Status.Waived)]      // TLS-007 failed, waived; TLS-009 passed
    [InlineData("5.1", Status.Manual)]      // verifiable: false
    [InlineData("9.3", Status.Skipped)]     // only the optional OBS-002, skipped
    [InlineData("15.2", Status.Failed)]     // SMK-006 passed, SMK-007 failed, SMK-008 skipped
    public void Each_item_takes_the_worst_status_of_its_required_checks(string id, Status expected) =>
        Item(Mixed, id).Status.Should().Be(expected);

    [Fact]
    public void Optional_checks_show_but_never_block()
    {
        var item = Item(Mixed, "9.3");

        item.Blocks.Should().BeFalse();
        item.HasWarnings.Should().BeTrue();
        Mixed.Blockers.Should().NotContain(b => b.Text.Contains("OBS-002"));
    }

    [Fact]
    public void Failed_required_items_come_first_then_not_run_skipped_and_uncovered()
    {
        Mixed.Ship.Should().BeFalse();
        Mixed.Verdict.Should().Be("DO NOT SHIP");
        Mixed.Blockers.Select(b => b.Kind).Should().BeInAscendingOrder();
        Mixed.Blockers.Take(4).Select(b => b.Subject).Should().Equal("1.1", "4.1", "10.2", "15.2");
        Mixed.Blockers[0].Text.Should().Be("1.1 Generate Production SECRET_KEY: failed CFG-001 (Critical)");
        Mixed.Blockers.Should().ContainSingle(b => b.Kind == BlockerKind.NotRun).Which.Text.Should().Be("DB-004 Database connections require TLS (1.2, 11.2): did not run");
        Mixed.Blockers.Should().ContainSingle(b => b.Kind == BlockerKind.Skipped).Which.Text.Should().StartWith("SMK-008 Metrics endpoint returns data (15.2): skipped: GATE_METRICS_URL is not set");
        Mixed.Blockers.Should().ContainSingle(b => b.Kind == BlockerKind.NotCovered).Which.Text.Should().StartWith("26 verifiable items without any check: 1.3, 1.4, 1.5, 3.1,");
    }

    [Fact]
    public void Theory_rows_aggregate_into_one_check()
    {
        var hsts = Mixed.Checks.Single(c => c.Id == "TLS-009");

        hsts.Results.Should().HaveCount(2);
        hsts.Status.Should().Be(Status.Passed);
    }

    [Fact]
    public void A_failing_theory_row_fails_the_check_and_names_the_row()
    {
        var dir = TestData.TempDir();
        TestData.Write(dir, "Tls.trx", TestData.Trx(
            ("TLS-009 [1.1] HSTS max-age(host: \"a.example\")", "Passed", null),
            ("TLS-009 [1.1] HSTS max-age(host: \"b.example\")", "Failed", "max-age=300 is under 180 days"),
            ("TLS-009 [1.1] HSTS max-age(host: \"c.example\")", "Failed", "no HSTS header")));

        var check = TestData.Build(dir, catalog: TestData.Dir("catalog-mini.yaml")).Checks.Single();

        check.Status.Should().Be(Status.Failed);
        check.Title.Should().Be("HSTS max-age", "without a manifest the title comes from the display name, minus the row's arguments");
        check.Message.Should().Be("[HSTS max-age(host: \"b.example\"): failed]\nmax-age=300 is under 180 days\n[HSTS max-age(host: \"c.example\"): failed]\nno HSTS header");
    }

    [Fact]
    public void Tests_without_a_check_id_are_listed_apart()
    {
        Mixed.OtherTests.Should().ContainSingle().Which.DisplayName.Should().Be("Gate.Smoke.Plumbing.Settings_resolve_from_environment");
    }

    [Fact]
    public void All_required_checks_passed_is_SHIP()
    {
        var dir = Green();

        var report = TestData.Build(dir, catalog: TestData.Dir("catalog-mini.yaml"));

        report.Blockers.Should().BeEmpty();
        report.Verdict.Should().Be("SHIP");
        report.AllItems.Select(i => i.Status).Should().Equal(Status.Passed, Status.Passed, Status.Manual);
    }

    [Fact]
    public void A_skipped_required_check_never_ships()
    {
        var dir = TestData.TempDir();
        TestData.Write(dir, "Smoke.trx", TestData.Trx(
            ("SMK-006 [1.1] Liveness answers 200", "Passed", null),
            ("SMK-007 [1.2] Readiness answers 200", "NotExecuted", "GATE_BASE_URL is not set")));

        var report = TestData.Build(dir, catalog: TestData.Dir("catalog-mini.yaml"));

        report.Verdict.Should().Be("DO NOT SHIP");
        report.Blockers.Should().ContainSingle().Which.Kind.Should().Be(BlockerKind.Skipped);
    }

    [Fact]
    public void A_strict_mode_skip_is_a_failure_already_and_is_shown_as_such()
    {
        var dir = TestData.TempDir();
        TestData.Write(dir, "Smoke.trx", TestData.Trx(
            ("SMK-006 [1.1] Liveness answers 200", "Passed", null),
            ("SMK-007 [1.2] Readiness answers 200", "Failed", "STRICT: GATE_BASE_URL is not set")));

        var report = TestData.Build(dir, catalog: TestData.Dir("catalog-mini.yaml"));

        report.Blockers.Should().ContainSingle().Which.Text.Should().Be("1.2 Readiness: failed SMK-007 (Unknown)");
        report.Checks.Single(c => c.Id == "SMK-007").Message.Should().StartWith("STRICT:");
    }

    [Fact]
    public void Uncovered_items_block_unless_allowed()
    {
        var dir = TestData.TempDir();
        TestData.Write(dir, "Smoke.trx", TestData.Trx(("SMK-006 [1.1] Liveness answers 200", "Passed", null)));

        TestData.Build(dir, catalog: TestData.Dir("catalog-mini.yaml")).Blockers.Should().ContainSingle()
            .Which.Text.Should().Be("1 verifiable item without any check: 1.2");
        var allowed = TestData.Build(dir, catalog: TestData.Dir("catalog-mini.yaml"), allowUncovered: true);
        allowed.Ship.Should().BeTrue();
        allowed.Notes.Should().Contain("1 verifiable item without any check did not block: --allow-uncovered (not for release runs)");
        Gate.Cli.Render.Text.Headline(allowed).Should().EndWith("; 1 verifiable item without checks allowed by --allow-uncovered");
    }

    [Fact]
    public void No_test_results_never_ship()
    {
        var report = TestData.Build(TestData.TempDir(), catalog: TestData.Dir("catalog-mini.yaml"), allowUncovered: true);

        report.Blockers.Should().ContainSingle().Which.Kind.Should().Be(BlockerKind.NoResults);
    }

    [Fact]
    public void A_failing_test_outside_the_checklist_blocks()
    {
        var dir = Green();
        TestData.Write(dir, "Other.trx", TestData.Trx(("Gate.Other.Plumbing_works", "Failed", "boom")));

        var report = TestData.Build(dir, catalog: TestData.Dir("catalog-mini.yaml"));

        report.Blockers.Should().ContainSingle().Which.Kind.Should().Be(BlockerKind.OutsideCatalog);
    }

    [Fact]
    public void Error_and_timeout_outcomes_count_as_failed()
    {
        var dir = TestData.TempDir();
        TestData.Write(dir, "Smoke.trx", TestData.Trx(
            ("SMK-006 [1.1] Liveness answers 200", "Timeout", "took too long"),
            ("SMK-007 [1.2] Readiness answers 200", "Error", "crashed")));

        var report = TestData.Build(dir, catalog: TestData.Dir("catalog-mini.yaml"));

        report.AllItems.Take(2).Should().OnlyContain(i => i.Status == Status.Failed);
    }

    internal static string Green()
    {
        var dir = TestData.TempDir();
        TestData.Write(dir, "Smoke.trx", TestData.Trx(
            ("SMK-006 [1.1] Liveness answers 200", "Passed", null),
            ("SMK-007 [1.2] Readiness answers 200", "Passed", null)));
        TestData.Write(dir, "manifest/Smoke.json", """
            {"suite":"Smoke","checks":[
              {"id":"SMK-006","items":["1.1"],"severity":"Critical","title":"Liveness answers 200","required":true,"method":"Gate.Smoke.Checks.M0"},
              {"id":"SMK-007","items":["1.2"],"severity":"High","title":"Readiness answers 200","required":true,"method":"Gate.Smoke.Checks.M1"}]}
            """);
        return dir;
    }
}
