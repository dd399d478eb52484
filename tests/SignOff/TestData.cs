using System.Security;
using Gate.Cli.Inputs;
using Gate.Cli.SignOff;

namespace Gate.SignOff.Tests;

/// <summary>Paths of the committed fixtures, temp folders and a writer for small trx files.</summary>
public static class TestData
{
    public static readonly DateOnly Today = new(2026, 12, 4);
    public static readonly DateTimeOffset Now = new(2026, 12, 4, 17, 0, 0, TimeSpan.Zero);

    public static string Dir(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);
    public static string Catalog => Dir("catalog.yaml");
    public static string Mixed => Dir("mixed");
    public static string Waivers(string name) => Dir("waivers", $"{name}.yaml");

    public static SignOffOptions Options(bool allowUncovered = false, DateOnly? today = null) =>
        new() { Today = today ?? Today, Now = Now, AllowUncovered = allowUncovered };

    public static SignOffReport Build(string results, string? waivers = null, bool allowUncovered = false, string? catalog = null, DateOnly? today = null) =>
        SignOffBuilder.Build(ResultsFolder.Load(results), Gate.Cli.Inputs.Catalog.Load(catalog ?? Catalog),
            waivers is null ? WaiverFile.None : WaiverFile.Load(waivers), Options(allowUncovered, today));

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "gate-signoff-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(d);
        return d;
    }

    public static void CopyDir(string from, string to)
    {
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, f));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(f, target, overwrite: true);
        }
    }

    public static string Write(string dir, string relative, string content)
    {
        var path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A trx in the exact shape VSTest writes (see Fixtures/mixed/*.trx, produced by a real run).</summary>
    public static string Trx(params (string Name, string Outcome, string? Message)[] results)
    {
        var ids = results.Select(_ => (Test: Guid.NewGuid(), Exec: Guid.NewGuid())).ToList();
        var list = "8c84fa94-04c1-424b-9868-57a2d4851a1d";
        var rows = string.Join("\n", results.Select((r, i) => $"""
                <UnitTestResult executionId="{ids[i].Exec}" testId="{ids[i].Test}" testName="{E(r.Name)}" computerName="ci" duration="00:00:00.0100000" startTime="2026-12-04T10:00:0{i % 10}.0000000+00:00" endTime="2026-12-04T10:00:0{i % 10}.0100000+00:00" testType="13cdc9d9-ddb5-4fa4-a97d-d965ccfc6d4b" outcome="{r.Outcome}" testListId="{list}" relativeResultsDirectory="{ids[i].Exec}">
                  <Output>{(r.Message is null ? "" : $"<ErrorInfo><Message>{E(r.Message)}</Message></ErrorInfo>")}</Output>
                </UnitTestResult>
            """));
        var defs = string.Join("\n", results.Select((r, i) => $"""
                <UnitTest name="{E(r.Name)}" storage="/repo/artifacts/bin/Gate.Smoke/debug/Gate.Smoke.dll" id="{ids[i].Test}">
                  <Execution id="{ids[i].Exec}" />
                  <TestMethod codeBase="/repo/artifacts/bin/Gate.Smoke/debug/Gate.Smoke.dll" adapterTypeName="executor://xunit/VsTestRunner3/netcore/" className="Gate.Smoke.Checks" name="M{i}" />
                </UnitTest>
            """));
        var entries = string.Join("\n", results.Select((_, i) => $"""    <TestEntry testId="{ids[i].Test}" executionId="{ids[i].Exec}" testListId="{list}" />"""));
        var executed = results.Count(r => r.Outcome != "NotExecuted");
        var passed = results.Count(r => r.Outcome == "Passed");
        var failed = results.Count(r => r.Outcome == "Failed");
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun id="{Guid.NewGuid()}" name="ci 2026-12-04 10:00:00" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Times creation="2026-12-04T10:00:10.0000000+00:00" queuing="2026-12-04T10:00:10.0000000+00:00" start="2026-12-04T10:00:00.0000000+00:00" finish="2026-12-04T10:00:10.0000000+00:00" />
              <Results>
            {rows}
              </Results>
              <TestDefinitions>
            {defs}
              </TestDefinitions>
              <TestEntries>
            {entries}
              </TestEntries>
              <TestLists>
                <TestList name="Results Not in a List" id="{list}" />
              </TestLists>
              <ResultSummary outcome="{(failed > 0 ? "Failed" : "Completed")}">
                <Counters total="{results.Length}" executed="{executed}" passed="{passed}" failed="{failed}" error="0" timeout="0" aborted="0" inconclusive="0" passedButRunAborted="0" notRunnable="0" notExecuted="0" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" />
              </ResultSummary>
            </TestRun>
            """;
    }

    private static string E(string s) => SecurityElement.Escape(s);
}
