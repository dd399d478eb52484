using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Gate.Cli.Inputs;

public enum Outcome { Passed, Failed, Skipped }

/// <summary>One UnitTestResult of a VSTest trx file.</summary>
public sealed record TestResult(
    string Suite,
    string DisplayName,
    string? Method,
    Outcome Outcome,
    string RawOutcome,
    TimeSpan Duration,
    string? Message,
    string? StdOut)
{
    /// <summary>The check ID and items carried by the display name ("SMK-006 [10.2,15.2] Title").</summary>
    public CheckName? Check => CheckName.Parse(DisplayName);
}

/// <summary>The check ID, checklist items and title parsed from a display name.</summary>
public sealed partial record CheckName(string Id, IReadOnlyList<string> Items, string Title)
{
    [GeneratedRegex(@"^(?<id>[A-Z][A-Z0-9]*-\d+)\s+\[(?<items>[^\]]*)\]\s*(?<title>.*)$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^[A-Z][A-Z0-9]*-\d+$")]
    public static partial Regex IdPattern();

    public static CheckName? Parse(string displayName)
    {
        var m = Pattern().Match(displayName.Trim());
        if (!m.Success) return null;
        var items = m.Groups["items"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new CheckName(m.Groups["id"].Value, items, m.Groups["title"].Value.Trim());
    }
}

/// <summary>The ResultSummary/Counters of one trx.</summary>
public sealed record TrxCounters(int Total, int Executed, int Passed, int Failed)
{
    /// <summary>As the gate counts it: skipped = total - executed (NotExecuted counts as skipped).</summary>
    public int Skipped => Math.Max(0, Total - Executed);

    /// <summary>Failed as trx counts it, plus error/timeout/aborted results counted as executed but not passed.</summary>
    public int NotPassed => Math.Max(Failed, Executed - Passed);
}

/// <summary>One trx file read into memory.</summary>
public sealed class TrxFile
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public required string Path { get; init; }
    /// <summary>The suite name: the trx file name without extension (Smoke.trx -> Smoke).</summary>
    public required string Suite { get; init; }
    public required TrxCounters Counters { get; init; }
    public required IReadOnlyList<TestResult> Results { get; init; }
    /// <summary>ResultSummary/RunInfos entries with outcome Error (test host crash, adapter errors).</summary>
    public IReadOnlyList<string> RunErrors { get; init; } = [];
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? Finish { get; init; }

    public static TrxFile Load(string path)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Load(path);
        }
        catch (XmlException e)
        {
            throw new GateConfigException($"{path}:{e.LineNumber}: not a valid trx file: {e.Message}");
        }
        var root = doc.Root;
        if (root is null || root.Name != Ns + "TestRun")
            throw new GateConfigException($"{path}: not a VSTest trx file (no TestRun element in the TeamTest/2010 namespace)");

        var suite = System.IO.Path.GetFileNameWithoutExtension(path);
        var methods = root.Elements(Ns + "TestDefinitions").Elements(Ns + "UnitTest")
            .Select(u => (Id: (string?)u.Attribute("id"), M: u.Element(Ns + "TestMethod")))
            .Where(x => x.Id is not null && x.M is not null)
            .GroupBy(x => x.Id!)
            .ToDictionary(g => g.Key, g =>
            {
                var m = g.First().M!;
                return $"{(string?)m.Attribute("className")}.{(string?)m.Attribute("name")}";
            });

        var results = new List<TestResult>();
        foreach (var r in root.Elements(Ns + "Results").Elements(Ns + "UnitTestResult"))
        {
            var raw = (string?)r.Attribute("outcome") ?? "NotExecuted";
            var output = r.Element(Ns + "Output");
            var testId = (string?)r.Attribute("testId");
            results.Add(new TestResult(
                suite,
                (string?)r.Attribute("testName") ?? "(unnamed)",
                testId is not null && methods.TryGetValue(testId, out var method) ? method : null,
                Map(raw),
                raw,
                TimeSpan.TryParse((string?)r.Attribute("duration"), out var d) ? d : TimeSpan.Zero,
                Trimmed((string?)output?.Element(Ns + "ErrorInfo")?.Element(Ns + "Message")),
                Trimmed((string?)output?.Element(Ns + "StdOut"))));
        }

        var c = root.Element(Ns + "ResultSummary")?.Element(Ns + "Counters");
        var counters = c is null
            ? new TrxCounters(results.Count, results.Count(x => x.Outcome != Outcome.Skipped),
                results.Count(x => x.Outcome == Outcome.Passed), results.Count(x => x.Outcome == Outcome.Failed))
            : new TrxCounters(Int(c, "total"), Int(c, "executed"), Int(c, "passed"), Int(c, "failed"));

        var times = root.Element(Ns + "Times");
        return new TrxFile
        {
            Path = path,
            Suite = suite,
            Counters = counters,
            Results = results,
            RunErrors = root.Element(Ns + "ResultSummary")?.Element(Ns + "RunInfos")?.Elements(Ns + "RunInfo")
                .Where(i => (string?)i.Attribute("outcome") == "Error")
                .Select(i => ((string?)i.Element(Ns + "Text") ?? "").Trim())
                .Where(t => t.Length > 0 && !t.EndsWith("[FAIL]", StringComparison.Ordinal)) // a failed test, reported already
                .ToList() ?? [],
            Start = Time(times, "start"),
            Finish = Time(times, "finish"),
        };
    }

    private static Outcome Map(string raw) => raw switch
    {
        "Passed" or "PassedButRunAborted" => Outcome.Passed,
        "NotExecuted" or "Inconclusive" or "Pending" or "NotRunnable" or "Disconnected" or "Warning" => Outcome.Skipped,
        _ => Outcome.Failed, // Failed, Error, Timeout, Aborted, anything unknown: never a silent pass
    };

    private static int Int(XElement e, string name) => int.TryParse((string?)e.Attribute(name), out var v) ? v : 0;

    private static DateTimeOffset? Time(XElement? e, string name) =>
        DateTimeOffset.TryParse((string?)e?.Attribute(name), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var t) ? t : null;

    private static string? Trimmed(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
