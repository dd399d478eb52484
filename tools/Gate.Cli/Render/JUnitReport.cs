using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Gate.Cli.SignOff;

namespace Gate.Cli.Render;

/// <summary>JUnit XML for CI UIs: one testsuite per gate suite, one testcase per check, and a
/// "Sign-off" testsuite whose "Verdict" testcase fails with the blockers on DO NOT SHIP.</summary>
public static partial class JUnitReport
{
    public static XDocument Render(SignOffReport r)
    {
        var suites = new List<XElement>();
        foreach (var g in r.Checks.GroupBy(c => c.Suite).OrderBy(g => g.Key, StringComparer.Ordinal))
            suites.Add(Suite(g.Key, g.Select(Case), r.RunStart));
        if (r.OtherTests.Count > 0)
            suites.Add(Suite("Other tests", r.OtherTests.Select(t => new XElement("testcase",
                new XAttribute("name", X(t.DisplayName)),
                new XAttribute("classname", X(t.Suite)),
                new XAttribute("time", Seconds(t.Duration)),
                t.Outcome switch
                {
                    Inputs.Outcome.Failed => new XElement("failure", new XAttribute("message", X(Text.FirstLine(t.Message, 500))), X(t.Message ?? "")),
                    Inputs.Outcome.Skipped => new XElement("skipped", new XAttribute("message", X(Text.FirstLine(t.Message, 500)))),
                    _ => null,
                })), r.RunStart));

        var verdict = new XElement("testcase", new XAttribute("name", "Verdict"), new XAttribute("classname", "Gate.SignOff"),
            new XAttribute("time", "0"),
            r.Ship ? null : new XElement("failure",
                new XAttribute("message", X($"DO NOT SHIP: {Text.Plural(r.Blockers.Count, "blocking problem")}")),
                new XAttribute("type", "DoNotShip"),
                X(string.Join("\n", r.Blockers.Select(b => b.Text)))));
        var waivers = r.Waivers.Select(w => new XElement("testcase",
            new XAttribute("name", X($"Waiver {w.Check}")), new XAttribute("classname", "Gate.SignOff.Waivers"), new XAttribute("time", "0"),
            w.State is WaiverState.Expired or WaiverState.Malformed
                ? new XElement("failure", new XAttribute("message", X(w.Note)), new XAttribute("type", "Waiver"))
                : null,
            new XElement("system-out", X($"{w.State.ToString().ToLowerInvariant()}: {w.Note}"))));
        suites.Add(Suite("Sign-off", waivers.Prepend(verdict), r.RunStart));

        var root = new XElement("testsuites",
            new XAttribute("name", X($"THE_BOT deployment gate: {r.Verdict}")),
            new XAttribute("tests", suites.Sum(s => (int)s.Attribute("tests")!)),
            new XAttribute("failures", suites.Sum(s => (int)s.Attribute("failures")!)),
            new XAttribute("errors", 0),
            new XAttribute("time", suites.Sum(s => double.Parse((string)s.Attribute("time")!, CultureInfo.InvariantCulture)).ToString("0.000", CultureInfo.InvariantCulture)),
            suites);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    private static XElement Suite(string name, IEnumerable<XElement> cases, DateTimeOffset? start)
    {
        var list = cases.ToList();
        return new XElement("testsuite",
            new XAttribute("name", X(name)),
            new XAttribute("tests", list.Count),
            new XAttribute("failures", list.Count(c => c.Element("failure") is not null)),
            new XAttribute("errors", 0),
            new XAttribute("skipped", list.Count(c => c.Element("skipped") is not null)),
            new XAttribute("time", list.Sum(c => double.Parse((string)c.Attribute("time")!, CultureInfo.InvariantCulture)).ToString("0.000", CultureInfo.InvariantCulture)),
            start is null ? null : new XAttribute("timestamp", start.Value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            list);
    }

    private static XElement Case(CheckRun c)
    {
        var details = string.Join("\n", new[]
        {
            $"items: {string.Join(", ", c.Items)}; severity: {c.Severity}; required: {(c.Required ? "yes" : "no")}; status: {c.Status.Label()}",
            c.Waiver is { } w ? $"waived until {w.Expires:yyyy-MM-dd} by {w.Owner}: {w.Reason}" : null,
            c.Message,
        }.Concat(c.Evidence.Select(kv => $"evidence {kv.Key}: {kv.Value}")).Where(s => !string.IsNullOrEmpty(s)));
        XElement? outcome = c.Status switch
        {
            Status.Failed => new XElement("failure", new XAttribute("message", X(Text.OneLine(c.Message, 500))), new XAttribute("type", c.Severity), X(c.Message ?? "")),
            Status.NotRun when c.Required => new XElement("failure", new XAttribute("message", X(c.Message ?? "did not run")), new XAttribute("type", "NotRun")),
            Status.NotRun => new XElement("skipped", new XAttribute("message", X(c.Message ?? "did not run"))),
            Status.Skipped => new XElement("skipped", new XAttribute("message", X(Text.FirstLine(c.Message, 500)))),
            Status.Waived => new XElement("skipped", new XAttribute("message", X($"WAIVED until {c.Waiver!.Expires:yyyy-MM-dd} ({c.Waiver.Owner}): {c.Waiver.Reason}"))),
            _ => null,
        };
        return new XElement("testcase",
            new XAttribute("name", X($"{c.Id} [{string.Join(",", c.Items)}] {c.Title}")),
            new XAttribute("classname", X(c.Method is { } m && m.LastIndexOf('.') > 0 ? m[..m.LastIndexOf('.')] : c.Suite)),
            new XAttribute("time", Seconds(c.Duration)),
            outcome,
            new XElement("system-out", X(details + (c.Output is null ? "" : "\n--- output ---\n" + c.Output))));
    }

    private static string Seconds(TimeSpan d) => d.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]")]
    private static partial Regex InvalidXml();

    /// <summary>XML 1.0 forbids most control characters even escaped: drop them.</summary>
    private static string X(string s) => InvalidXml().Replace(s, "");
}
