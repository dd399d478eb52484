using System.Runtime.CompilerServices;
using FluentAssertions;
using Gate.Cli;
using Gate.Cli.Commands;
using Xunit;

namespace Gate.SignOff.Tests;

public class ShardTests
{
    private static readonly string[] Ids =
        Enumerable.Range(1, 40).Select(i => $"SMK-{i:000}").Concat(Enumerable.Range(1, 25).Select(i => $"TLS-{i:000}")).ToArray();

    [Fact]
    public void The_hash_is_FNV_1a_64_so_it_never_changes_across_runs_or_runtimes()
    {
        ShardCommand.Fnv1a("").Should().Be(0xcbf29ce484222325);
        ShardCommand.Fnv1a("a").Should().Be(0xaf63dc4c8601ec8c);
        ShardCommand.Fnv1a("foobar").Should().Be(0x85944171f73967e8);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Shards_partition_the_checks(int count)
    {
        var shards = Enumerable.Range(0, count).Select(i => ShardCommand.Select(Ids, i, count)).ToList();

        shards.SelectMany(s => s).Should().BeEquivalentTo(Ids).And.OnlyHaveUniqueItems();
        if (count <= 3) shards.Should().OnlyContain(s => s.Count >= Ids.Length / count / 2, "a hash share should be roughly even");
    }

    [Fact]
    public void A_check_stays_in_its_shard_when_checks_are_added()
    {
        var before = ShardCommand.Select(Ids, 1, 3);
        var after = ShardCommand.Select(Ids.Concat(["HDR-001", "HDR-002", "LOAD-001"]), 1, 3);

        after.Should().Contain(before);
        after.Except(before).Should().OnlyContain(id => id.StartsWith("HDR") || id.StartsWith("LOAD"));
    }

    [Fact]
    public void The_filter_selects_by_the_Check_trait()
    {
        ShardCommand.Filter(["SMK-001", "TLS-003"]).Should().Be("Check=SMK-001|Check=TLS-003");
    }

    [Fact]
    public void Check_ids_are_read_from_assembly_metadata_without_loading_it()
    {
        ShardCommand.FromAssembly(typeof(ShardSamples).Assembly.Location).Should().Equal("SHD-001", "SHD-002", "SHD-003");
    }

    [Fact]
    public void The_command_prints_one_filter_line_for_a_shard_of_the_manifest()
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var manifest = Path.Combine(TestData.Mixed, "manifest", "Smoke.json");
        var all = new List<string>();

        for (var i = 0; i < 2; i++)
        {
            o.GetStringBuilder().Clear();
            Program.Run(["shard", "--index", $"{i}", "--count", "2", "--suite", "Smoke", "--manifest", manifest], o, e).Should().Be(0);
            var line = o.ToString();
            line.Should().MatchRegex(@"^Check=[A-Z]+-\d+(\|Check=[A-Z]+-\d+)*\r?\n$");
            all.AddRange(line.Trim().Split('|').Select(x => x["Check=".Length..]));
        }

        all.Should().BeEquivalentTo(["CFG-001", "DB-004", "SMK-001", "SMK-006", "SMK-007", "SMK-008"]);
        e.ToString().Should().Contain("gate-cli: shard 0/2 of Smoke:");
    }

    [Fact]
    public void An_empty_shard_exits_4_and_prints_no_filter()
    {
        var manifest = TestData.Write(TestData.TempDir(), "manifest/Smoke.json", """{"suite":"Smoke","checks":[{"id":"SMK-001","items":["1.1"],"severity":"High","title":"t","required":true}]}""");
        var empty = Enumerable.Range(0, 2).First(i => ShardCommand.Select(["SMK-001"], i, 2).Count == 0);
        var o = new StringWriter();

        Program.Run(["shard", "--index", $"{empty}", "--count", "2", "--suite", "Smoke", "--manifest", manifest], o, TextWriter.Null).Should().Be(4);

        o.ToString().Should().BeEmpty();
    }
}

/// <summary>Stands in for Gate.Fixtures' [Check]: the shard command matches the attribute by name.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CheckAttribute(string id, string item, [CallerMemberName] string method = "") : Attribute
{
    public string Id { get; } = id;
    public string Item { get; } = item;
    public string Method { get; } = method;
    public int Severity { get; set; }
}

[AttributeUsage(AttributeTargets.Method)]
public sealed class CheckTheoryAttribute(string id, string item1, string item2, [CallerMemberName] string method = "") : Attribute
{
    public string Id { get; } = id;
    public string[] Items { get; } = [item1, item2];
    public string Method { get; } = method;
}

public static class ShardSamples
{
    [Check("SHD-002", "1.1", Severity = 3)] public static void B() { }
    [Check("SHD-001", "1.2")] public static void A() { }
    [CheckTheory("SHD-003", "1.1", "1.2")] public static void C(int x) { _ = x; }
}
