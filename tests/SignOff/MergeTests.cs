using System.Xml.Linq;
using FluentAssertions;
using Gate.Cli;
using Gate.Cli.Commands;
using Gate.Cli.Inputs;
using Xunit;

namespace Gate.SignOff.Tests;

public class MergeTests
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>Splits the real fixture run the way two CI agents would have produced it.</summary>
    private static (string A, string B) Shards()
    {
        var a = TestData.TempDir();
        var b = TestData.TempDir();
        foreach (var trx in Directory.GetFiles(TestData.Mixed, "*.trx"))
        {
            var doc = XDocument.Load(trx);
            var results = doc.Descendants(Ns + "UnitTestResult").ToList();
            for (var shard = 0; shard < 2; shard++)
            {
                var copy = new XDocument(doc);
                var keep = copy.Descendants(Ns + "UnitTestResult").Where((_, i) => i % 2 == shard).ToList();
                copy.Descendants(Ns + "UnitTestResult").Except(keep).ToList().ForEach(e => e.Remove());
                var c = copy.Descendants(Ns + "Counters").Single();
                c.SetAttributeValue("total", keep.Count);
                c.SetAttributeValue("executed", keep.Count(e => (string?)e.Attribute("outcome") != "NotExecuted"));
                c.SetAttributeValue("passed", keep.Count(e => (string?)e.Attribute("outcome") == "Passed"));
                c.SetAttributeValue("failed", keep.Count(e => (string?)e.Attribute("outcome") == "Failed"));
                copy.Save(Path.Combine(shard == 0 ? a : b, Path.GetFileName(trx)));
            }
            results.Should().HaveCountGreaterThan(1);
        }
        foreach (var dir in new[] { a, b })
            TestData.CopyDir(Path.Combine(TestData.Mixed, "manifest"), Path.Combine(dir, "manifest"));
        File.Copy(Path.Combine(TestData.Mixed, "evidence", "SMK-006.json"), Path.Combine(Directory.CreateDirectory(Path.Combine(a, "evidence")).FullName, "SMK-006.json"));
        File.Copy(Path.Combine(TestData.Mixed, "evidence", "TLS-003.json"), Path.Combine(a, "evidence", "TLS-003.json"));
        TestData.CopyDir(Path.Combine(TestData.Mixed, "evidence"), Path.Combine(b, "evidence"));
        TestData.CopyDir(Path.Combine(TestData.Mixed, "attachments"), Path.Combine(b, "attachments"));
        return (a, b);
    }

    [Fact]
    public void Merging_shards_gives_the_same_sign_off_as_one_run()
    {
        var (a, b) = Shards();
        var merged = Path.Combine(TestData.TempDir(), "merged");

        MergeCommand.Merge(merged, [a, b], TextWriter.Null);

        var one = TestData.Build(TestData.Mixed, TestData.Waivers("mixed"));
        var two = TestData.Build(merged, TestData.Waivers("mixed"));
        two.Checks.Select(c => (c.Id, c.Status, c.Results.Count, c.Evidence.Count, c.Attachments.Count))
            .Should().Equal(one.Checks.Select(c => (c.Id, c.Status, c.Results.Count, c.Evidence.Count, c.Attachments.Count)));
        two.AllItems.Select(i => i.Status).Should().Equal(one.AllItems.Select(i => i.Status));
        two.Blockers.Select(x => x.Text).Should().Equal(one.Blockers.Select(x => x.Text));
        (two.Passed, two.Failed, two.Skipped).Should().Be((one.Passed, one.Failed, one.Skipped));
    }

    [Fact]
    public void The_merged_trx_is_one_valid_trx_per_suite_with_summed_counters()
    {
        var (a, b) = Shards();
        var merged = Path.Combine(TestData.TempDir(), "merged");

        var o = new StringWriter();
        Program.Run(["merge", "--out", merged, a, b], o, TextWriter.Null).Should().Be(0);

        o.ToString().Should().Be($"merged 2 results folders into {merged}: 2 trx, 6 passed, 3 failed, 2 skipped" + Environment.NewLine);
        var smoke = TrxFile.Load(Path.Combine(merged, "Smoke.trx"));
        smoke.Counters.Should().Be(new TrxCounters(6, 5, 3, 2));
        var doc = XDocument.Load(Path.Combine(merged, "Smoke.trx"));
        doc.Descendants(Ns + "UnitTest").Should().HaveCount(6);
        doc.Descendants(Ns + "TestEntry").Should().HaveCount(6);
        doc.Descendants(Ns + "UnitTestResult").Select(e => (string?)e.Attribute("executionId")).Should().OnlyHaveUniqueItems();
        doc.Root!.Element(Ns + "ResultSummary")!.Attribute("outcome")!.Value.Should().Be("Failed");
    }

    [Fact]
    public void Conflicting_evidence_keeps_both_values_and_conflicting_files_get_a_shard_suffix()
    {
        var a = TestData.TempDir();
        var b = TestData.TempDir();
        TestData.Write(a, "evidence/TLS-003.json", """{"id":"TLS-003","evidence":{"grade":"A+","days_to_expiry":"89"}}""");
        TestData.Write(b, "evidence/TLS-003.json", """{"id":"TLS-003","evidence":{"grade":"A","days_to_expiry":"89"}}""");
        TestData.Write(a, "attachments/LOAD-001/report.txt", "agent a");
        TestData.Write(b, "attachments/LOAD-001/report.txt", "agent b");
        TestData.Write(b, "attachments/LOAD-001/same.txt", "x");
        TestData.Write(a, "attachments/LOAD-001/same.txt", "x");
        var merged = Path.Combine(TestData.TempDir(), "m");
        var warnings = new StringWriter();

        MergeCommand.Merge(merged, [a, b], warnings);

        EvidenceFile.Load(Path.Combine(merged, "evidence", "TLS-003.json")).Should().Equal(
            KeyValuePair.Create("grade", "A+"), KeyValuePair.Create("days_to_expiry", "89"), KeyValuePair.Create("grade (shard 2)", "A"));
        Directory.GetFiles(Path.Combine(merged, "attachments", "LOAD-001")).Select(Path.GetFileName)
            .Should().BeEquivalentTo("report.txt", "report.shard2.txt", "same.txt");
        warnings.ToString().Should().Contain("evidence TLS-003/grade differs between shards");
    }

    [Fact]
    public void Merge_refuses_a_non_empty_output_folder()
    {
        var e = new StringWriter();

        Program.Run(["merge", "--out", TestData.Mixed, TestData.Mixed], TextWriter.Null, e).Should().Be(2);
        Program.Run(["merge", "--out", TestData.Dir("waivers"), TestData.Mixed], TextWriter.Null, e).Should().Be(2);

        e.ToString().Should().Contain("--out must be a new folder, not one of the inputs").And.Contain("is not empty");
    }
}
