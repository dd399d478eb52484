using FluentAssertions;
using Gate.Cli.Inputs;
using Gate.Cli.SignOff;
using Xunit;

namespace Gate.SignOff.Tests;

public class WaiverTests
{
    [Fact]
    public void An_active_waiver_accepts_a_failure_and_every_waiver_is_shown()
    {
        var report = TestData.Build(TestData.Mixed, TestData.Waivers("mixed"));

        var tls = report.Checks.Single(c => c.Id == "TLS-007");
        tls.Status.Should().Be(Status.Waived);
        tls.WaivedStatus.Should().Be(Status.Failed);
        tls.Waiver!.Owner.Should().Be("Irina Petrova");
        report.Blockers.Should().NotContain(b => b.Text.Contains("TLS-007"));
        report.Waivers.Select(w => (w.Check, w.State)).Should().Equal(
            ("TLS-007", WaiverState.Applied), ("SMK-001", WaiverState.Unused), ("HDR-003", WaiverState.Unused));
        report.Waivers[1].Note.Should().Be("SMK-001 passed: the waiver can be removed");
        report.Waivers[2].Note.Should().Be("HDR-003 is not among the checks of this run");
    }

    [Fact]
    public void A_waiver_applies_until_its_expiry_date_inclusive()
    {
        var onTheDay = TestData.Build(TestData.Mixed, TestData.Waivers("mixed"), today: new DateOnly(2027, 1, 31));
        var dayAfter = TestData.Build(TestData.Mixed, TestData.Waivers("mixed"), today: new DateOnly(2027, 2, 1));

        onTheDay.Checks.Single(c => c.Id == "TLS-007").Status.Should().Be(Status.Waived);
        onTheDay.Waivers[0].Note.Should().Be("accepts a failed result; expires in 0 days");
        dayAfter.Checks.Single(c => c.Id == "TLS-007").Status.Should().Be(Status.Failed);
    }

    [Fact]
    public void An_expired_waiver_fails_the_verdict_naming_file_entry_and_problem()
    {
        var path = TestData.Waivers("expired");

        var report = TestData.Build(TestData.Mixed, path);

        report.Checks.Single(c => c.Id == "TLS-007").Status.Should().Be(Status.Failed);
        report.Waivers.Should().ContainSingle().Which.State.Should().Be(WaiverState.Expired);
        report.Blockers.Should().Contain(b => b.Kind == BlockerKind.Waiver)
            .Which.Text.Should().Be($"{path}:1: waiver entry 1 (TLS-007): expired on 2026-11-30: renew it with a new reason or fix TLS-007");
    }

    [Fact]
    public void An_expired_waiver_fails_the_verdict_even_when_its_check_passes()
    {
        var dir = StatusAndVerdictTests.Green();
        var waivers = TestData.Write(dir, "waivers.yaml", "- { check: SMK-006, reason: old, owner: ops, expires: 2026-01-01 }\n");

        var report = TestData.Build(dir, waivers, catalog: TestData.Dir("catalog-mini.yaml"));

        report.Verdict.Should().Be("DO NOT SHIP");
        report.Blockers.Should().ContainSingle().Which.Kind.Should().Be(BlockerKind.Waiver);
    }

    [Fact]
    public void Malformed_entries_are_reported_with_line_and_problem_and_fail_the_verdict()
    {
        var path = TestData.Waivers("malformed");

        var file = WaiverFile.Load(path);
        var report = TestData.Build(TestData.Mixed, path);

        file.Waivers.Select(w => w.Check).Should().Equal("TLS-007");
        file.Problems.Select(p => p.ToString()).Should().Equal(
            $"{path}:5: waiver entry 2 (tls 7): 'check' must be a check ID like TLS-007, not 'tls 7'; 'reason' is missing; 'owner' is missing; 'expires' must be a date yyyy-MM-dd, not 'next month'",
            $"{path}:8: waiver entry 3 (CFG-001): unknown key 'approved' (allowed: check, reason, owner, expires)",
            $"{path}:13: waiver entry 4 (TLS-007): TLS-007 is already waived by entry 1 (line 1)");
        report.Blockers.Where(b => b.Kind == BlockerKind.Waiver).Should().HaveCount(3);
        report.Waivers.Count(w => w.State == WaiverState.Malformed).Should().Be(3);
    }

    [Theory]
    [InlineData("check: TLS-007\n", "the file must be a YAML list")]
    [InlineData("- [TLS-007, reason]\n", "entry must be a mapping")]
    [InlineData("- { check: TLS-007, reason: r, owner: o }\n", "'expires' is missing")]
    [InlineData("- { check: TLS-007, reason: r, owner: o, expires: 2027-02-30 }\n", "'expires' must be a date yyyy-MM-dd, not '2027-02-30'")]
    [InlineData("- { check: TLS-007, reason: [unclosed\n", "not valid YAML")]
    public void Shapes_that_are_not_waivers_are_problems(string yaml, string problem)
    {
        var path = TestData.Write(TestData.TempDir(), "waivers.yaml", yaml);

        WaiverFile.Load(path).Problems.Should().ContainSingle().Which.Problem.Should().Contain(problem);
    }

    [Theory]
    [InlineData("[]\n")]
    [InlineData("# nothing waived\n")]
    [InlineData("")]
    public void An_empty_waiver_file_is_fine(string yaml)
    {
        var file = WaiverFile.Load(TestData.Write(TestData.TempDir(), "waivers.yaml", yaml));

        file.Waivers.Should().BeEmpty();
        file.Problems.Should().BeEmpty();
    }

    [Fact]
    public void The_committed_waivers_file_is_valid()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "waivers.yaml"))) root = Path.GetDirectoryName(root)!;

        WaiverFile.Load(Path.Combine(root, "waivers.yaml")).Problems.Should().BeEmpty();
    }
}
