using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using FluentAssertions;
using Gate.Cli.Render;
using Gate.Cli.SignOff;
using Snapshooter.Xunit3;
using Xunit;

namespace Gate.SignOff.Tests;

public class ReportTests
{
    private static SignOffReport Mixed() =>
        TestData.Build(TestData.Mixed, TestData.Waivers("mixed")) with { ResultsDir = "results/mixed", WaiversPath = "waivers.yaml" };

    private static readonly string OutDir = Path.Combine(TestData.Mixed, "signoff");

    [Fact]
    public void Junit_output_is_valid_against_the_junit_schema()
    {
        var xml = JUnitReport.Render(Mixed()).ToString();
        var schemas = new XmlSchemaSet();
        schemas.Add(null, TestData.Dir("junit.xsd"));
        var errors = new List<string>();

        var doc = XDocument.Parse(xml);
        doc.Validate(schemas, (_, e) => errors.Add($"{e.Severity}: {e.Message}"));

        errors.Should().BeEmpty();
    }

    [Fact]
    public void Junit_output_has_one_testcase_per_check_and_a_failing_verdict()
    {
        var doc = JUnitReport.Render(Mixed());
        var root = doc.Root!;

        root.Elements("testsuite").Select(s => (string?)s.Attribute("name")).Should().Equal("Security", "Smoke", "Other tests", "Sign-off");
        var smoke = root.Elements("testsuite").Single(s => (string?)s.Attribute("name") == "Smoke");
        ((int)smoke.Attribute("tests")!, (int)smoke.Attribute("failures")!, (int)smoke.Attribute("skipped")!).Should().Be((6, 3, 1)); // DB-004 did not run: failure
        var tls7 = root.Descendants("testcase").Single(t => ((string)t.Attribute("name")!).StartsWith("TLS-007", StringComparison.Ordinal));
        tls7.Element("skipped")!.Attribute("message")!.Value.Should().StartWith("WAIVED until 2027-01-31 (Irina Petrova)");
        tls7.Element("system-out")!.Value.Should().Contain("Expected thebot.example.com:443 to refuse TLS 1.1");
        var verdict = root.Descendants("testcase").Single(t => (string?)t.Attribute("name") == "Verdict");
        verdict.Element("failure")!.Attribute("message")!.Value.Should().Be("DO NOT SHIP: 7 blocking problems");
        ((int)root.Attribute("failures")!).Should().Be(root.Elements("testsuite").Sum(s => (int)s.Attribute("failures")!));
    }

    [Fact]
    public void Junit_drops_characters_xml_cannot_carry()
    {
        var dir = TestData.TempDir();
        TestData.Write(dir, "Smoke.trx", TestData.Trx(("SMK-006 [1.1] Liveness", "Failed", "bell &#x7; in output")));

        var xml = JUnitReport.Render(TestData.Build(dir, catalog: TestData.Dir("catalog-mini.yaml")));

        var act = () => XDocument.Parse(xml.ToString());
        act.Should().NotThrow();
    }

    [Fact]
    public void Markdown_report_for_the_fixture_run_matches_the_snapshot()
    {
        var markdown = MarkdownReport.Render(Mixed(), OutDir);

        RequireCommittedSnapshot(nameof(Markdown_report_for_the_fixture_run_matches_the_snapshot));
        Snapshot.Match(markdown);
    }

    [Fact]
    public void Markdown_summary_for_the_step_summary_matches_the_snapshot()
    {
        var markdown = MarkdownReport.Render(Mixed(), OutDir, summaryOnly: true);

        RequireCommittedSnapshot(nameof(Markdown_summary_for_the_step_summary_matches_the_snapshot));
        Snapshot.Match(markdown);
    }

    [Fact]
    public void Html_is_one_self_contained_file_with_the_checklist_in_order()
    {
        var html = HtmlReport.Render(Mixed(), OutDir);

        html.Should().NotContain("<link").And.NotContain("<img").And.NotContain("@import").And.NotContain("url(");
        html.Should().Contain("<header class=\"banner noship\">").And.Contain(">DO NOT SHIP<");
        var order = Enumerable.Range(1, 18).Select(n => html.IndexOf($"id=\"s{n}\"", StringComparison.Ordinal)).ToList();
        order.Should().OnlyContain(i => i > 0).And.BeInAscendingOrder();
        html.IndexOf("<h2>Sign-off</h2>", StringComparison.Ordinal).Should().BeGreaterThan(order[^1]);
        foreach (var role in new[] { "DevOps Engineer", "System Administrator", "Product Manager", "Security Officer" })
            html.Should().Contain($"<h3>{role}</h3>");
        html.Should().Contain("href=\"../attachments/SMK-007/readiness-response.json\"");
        html.Should().Contain("href=\"../attachments/TLS-003/chain%20summary.txt\"");
        html.Should().Contain("<details class=\"item failed\" id=\"i1.1\" open>");
    }

    [Fact]
    public void Html_elements_are_balanced()
    {
        var html = HtmlReport.Render(Mixed(), OutDir);
        var open = new Stack<string>();
        string[] empty = ["meta", "br", "hr", "img", "input", "link", "!DOCTYPE"];

        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(html, @"<(/?)([!A-Za-z][A-Za-z0-9]*)\b[^>]*>"))
        {
            var name = m.Groups[2].Value;
            if (empty.Contains(name)) continue;
            if (m.Groups[1].Value == "") open.Push(name);
            else open.Pop().Should().Be(name, $"</{name}> at {m.Index} must close the innermost open element");
        }

        open.Should().BeEmpty();
    }

    [Fact]
    public void Html_escapes_what_tests_print()
    {
        var dir = TestData.TempDir();
        TestData.Write(dir, "Smoke.trx", TestData.Trx(("SMK-006 [1.1] Liveness", "Failed", "<script>alert(1)</script>")));

        var html = HtmlReport.Render(TestData.Build(dir, catalog: TestData.Dir("catalog-mini.yaml")), dir);

        html.Should().NotContain("<script>alert").And.Contain("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    /// <summary>Snapshooter writes a missing snapshot and passes; in CI a missing one must fail instead.</summary>
    private static void RequireCommittedSnapshot(string test, [System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        var snap = Path.Combine(Path.GetDirectoryName(source)!, "__snapshots__", $"{nameof(ReportTests)}.{test}.snap");
        if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            File.Exists(snap).Should().BeTrue($"{snap} must be committed: run the tests locally and commit the new snapshot");
    }
}
