using FluentAssertions;
using Gate.Cli;
using Xunit;

namespace Gate.SignOff.Tests;

public class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => RunWith(null, args);

    /// <summary>Runs gate-cli with GATE_RESULTS_DIR unset and GITHUB_STEP_SUMMARY set only when asked:
    /// the CI job running these tests may have both. (Tests of one class never run in parallel.)</summary>
    private static (int Code, string Out, string Err) RunWith(string? stepSummary, params string[] args)
    {
        var saved = (Results: Environment.GetEnvironmentVariable("GATE_RESULTS_DIR"), Summary: Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY"));
        Environment.SetEnvironmentVariable("GATE_RESULTS_DIR", null);
        Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", stepSummary);
        try
        {
            var o = new StringWriter();
            var e = new StringWriter();
            var code = Program.Run(args, o, e);
            return (code, o.ToString(), e.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("GATE_RESULTS_DIR", saved.Results);
            Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", saved.Summary);
        }
    }

    [Fact]
    public void Summary_prints_exactly_one_line_from_the_trx_counters()
    {
        var (code, output, _) = Run("summary", TestData.Mixed);

        code.Should().Be(0);
        output.Should().Be("6 passed, 3 failed, 2 skipped" + Environment.NewLine);
    }

    [Fact]
    public void Summary_exits_3_when_no_test_ran()
    {
        var dir = TestData.TempDir();
        Run("summary", dir).Should().Be((3, "0 passed, 0 failed, 0 skipped" + Environment.NewLine, $"gate-cli: no trx file in {dir}: no test ran" + Environment.NewLine));
        TestData.Write(dir, "Smoke.trx", TestData.Trx());
        Run("summary", dir).Code.Should().Be(3);
    }

    [Fact]
    public void Report_writes_html_markdown_junit_and_json_and_exits_1_on_DO_NOT_SHIP()
    {
        var outDir = TestData.TempDir();

        var (code, output, err) = Run("report", "--results", TestData.Mixed, "--catalog", TestData.Catalog,
            "--waivers", TestData.Waivers("mixed"), "--out", outDir, "--today", "2026-12-04");

        err.Should().BeEmpty();
        code.Should().Be(1);
        output.Should().EndWith("DO NOT SHIP: 7 blocking problems (6 passed, 3 failed, 2 skipped) (gate-cli verdict lists them)" + Environment.NewLine);
        Directory.GetFiles(outDir).Select(Path.GetFileName).Should().BeEquivalentTo("signoff.html", "signoff.md", "summary.md", "junit.xml", "signoff.json");
        var html = File.ReadAllText(Path.Combine(outDir, "signoff.html"));
        html.Should().StartWith("<!DOCTYPE html>").And.Contain("<style>").And.NotContain("<link").And.NotContain("src=\"http");
    }

    [Fact]
    public void Report_exits_0_on_SHIP()
    {
        var dir = StatusAndVerdictTests.Green();

        var (code, output, _) = Run("report", "--results", dir, "--catalog", TestData.Dir("catalog-mini.yaml"), "--waivers", TestData.Waivers("empty"));

        code.Should().Be(0);
        output.Should().EndWith("SHIP: every required check passed or is waived (2 passed, 0 failed, 0 skipped)" + Environment.NewLine);
        File.Exists(Path.Combine(dir, "signoff", "signoff.html")).Should().BeTrue();
    }

    [Fact]
    public void Verdict_prints_the_table_with_the_same_exit_code()
    {
        var (code, output, _) = Run("verdict", "--results", TestData.Mixed, "--catalog", TestData.Catalog,
            "--waivers", TestData.Waivers("mixed"), "--today", "2026-12-04");

        code.Should().Be(1);
        var lines = output.Split(Environment.NewLine);
        lines[0].Should().MatchRegex(@"^SECTION\s+ITEM\s+STATUS\s+CHECKS$");
        lines.Should().Contain(l => l.Contains("10.2 Verify Health Check Endpoints") && l.Contains("FAILED") && l.EndsWith("SMK-006 SMK-007:failed"));
        lines.Should().Contain(l => l.Contains("2.3 Test HTTPS Configuration") && l.Contains("WAIVED"));
        lines.Should().Contain(l => l.Contains("5.1 Build Docker Images") && l.Contains("MANUAL"));
        output.Should().NotContain("\u001b[");
    }

    [Fact]
    public void Github_step_summary_gets_the_markdown_summary_appended()
    {
        var summary = Path.Combine(TestData.TempDir(), "summary.md");
        File.WriteAllText(summary, "previous step\n");

        RunWith(summary, "report", "--results", TestData.Mixed, "--catalog", TestData.Catalog, "--out", TestData.TempDir()).Code.Should().Be(1);

        var text = File.ReadAllText(summary);
        text.Should().StartWith("previous step\n# Release sign-off: DO NOT SHIP");
        text.Should().Contain("## Checks that did not pass").And.NotContain("## Items in detail");
    }

    [Theory]
    [InlineData(new[] { "verdict" }, "gate-cli: error: verdict: --results is required (or set GATE_RESULTS_DIR; see gate-cli help)")]
    [InlineData(new[] { "report", "--results", "/nonexistent/results", "--catalog", "CATALOG" }, "gate-cli: error: results folder not found: /nonexistent/results")]
    [InlineData(new[] { "report", "--results", "MIXED", "--catalog", "/nonexistent/catalog.yaml" }, "gate-cli: error: catalog not found: /nonexistent/catalog.yaml (pass --catalog <file>)")]
    [InlineData(new[] { "report", "--results", "MIXED", "--catalog", "CATALOG", "--waivers", "/nonexistent/w.yaml" }, "gate-cli: error: waivers file not found: /nonexistent/w.yaml")]
    [InlineData(new[] { "report", "--results", "MIXED", "--colour" }, "gate-cli: error: report: option --colour needs a value")]
    [InlineData(new[] { "report", "--results", "MIXED", "--today", "tomorrow", "--catalog", "CATALOG" }, "gate-cli: error: report: --today must be yyyy-MM-dd, not 'tomorrow'")]
    [InlineData(new[] { "report", "--results", "MIXED", "--frobnicate", "1" }, "gate-cli: error: report: unknown option --frobnicate (see gate-cli help)")]
    [InlineData(new[] { "deploy" }, "gate-cli: error: unknown command 'deploy' (commands: report, verdict, summary, merge, shard, validate; see gate-cli help)")]
    [InlineData(new[] { "summary" }, "gate-cli: error: summary: usage: gate-cli summary <results-dir>")]
    [InlineData(new[] { "summary", "/nonexistent/results" }, "gate-cli: error: summary: results folder not found: /nonexistent/results")]
    [InlineData(new[] { "merge", "--out", "/tmp/x" }, "gate-cli: error: merge: usage: gate-cli merge --out <dir> <dir1> <dir2> ...")]
    [InlineData(new[] { "shard", "--index", "3", "--count", "3", "--suite", "Smoke" }, "gate-cli: error: shard: --index must be 0..2 (0-based), not 3")]
    [InlineData(new[] { "shard", "--index", "one", "--count", "3", "--suite", "Smoke" }, "gate-cli: error: shard: --index must be a whole number, not 'one'")]
    public void Usage_and_config_errors_exit_2_with_one_clear_line(string[] args, string message)
    {
        args = args.Select(a => a.Replace("MIXED", TestData.Mixed).Replace("CATALOG", TestData.Catalog)).ToArray();

        var (code, output, err) = Run(args);

        code.Should().Be(2);
        output.Should().BeEmpty();
        err.Should().Be(message + Environment.NewLine);
    }

    [Fact]
    public void A_broken_catalog_is_one_line_naming_file_and_line()
    {
        var catalog = TestData.Write(TestData.TempDir(), "catalog.yaml", "sections: [ { number: 1 }\nitems: ]\n");

        var (code, _, err) = Run("report", "--results", TestData.Mixed, "--catalog", catalog);

        code.Should().Be(2);
        err.Should().StartWith($"gate-cli: error: {catalog}:").And.NotContain("   at ");
        err.Trim().Split('\n').Should().ContainSingle();
    }
}
