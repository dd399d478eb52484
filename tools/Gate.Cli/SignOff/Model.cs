using Gate.Cli.Inputs;

namespace Gate.Cli.SignOff;

/// <summary>The status of a check or of a checklist item in the sign-off.</summary>
public enum Status { Failed, NotRun, Skipped, NotCovered, Waived, Passed, Manual }

public static class StatusText
{
    public static string Label(this Status s) => s switch
    {
        Status.Failed => "failed",
        Status.NotRun => "not run",
        Status.Skipped => "skipped",
        Status.NotCovered => "not covered",
        Status.Waived => "waived",
        Status.Passed => "passed",
        Status.Manual => "manual",
        _ => s.ToString(),
    };

    /// <summary>Lower is worse; an item takes the worst status of its checks.</summary>
    public static int Rank(this Status s) => (int)s;

    public static int SeverityRank(string severity) => severity switch
    {
        "Critical" => 0, "High" => 1, "Medium" => 2, "Low" => 3, "Info" => 4, _ => 5,
    };
}

/// <summary>A check with its (possibly several: theory rows, repeated shards) results.</summary>
public sealed record CheckRun
{
    public required string Id { get; init; }
    public required string Suite { get; init; }
    public required string Title { get; init; }
    public required IReadOnlyList<string> Items { get; init; }
    public required string Severity { get; init; }
    public required bool Required { get; init; }
    public required bool InManifest { get; init; }
    public string? Method { get; init; }
    public required IReadOnlyList<TestResult> Results { get; init; }
    public required Status Status { get; init; }
    /// <summary>Failure message or skip reason (redacted).</summary>
    public string? Message { get; init; }
    /// <summary>Standard output of the non-passing (or only) result, redacted and truncated.</summary>
    public string? Output { get; init; }
    public Waiver? Waiver { get; init; }
    /// <summary>The outcome before a waiver applied (for a waived check).</summary>
    public Status? WaivedStatus { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> Evidence { get; init; }
    public required IReadOnlyList<string> Attachments { get; init; }
    public TimeSpan Duration => Results.Aggregate(TimeSpan.Zero, (a, r) => a + r.Duration);
    public bool Blocks => Required && Status is Status.Failed or Status.Skipped or Status.NotRun;
}

public sealed record ItemResult
{
    public required CatalogItem Item { get; init; }
    public required Status Status { get; init; }
    public required IReadOnlyList<CheckRun> Checks { get; init; }
    /// <summary>Optional (non-required) checks that failed or skipped: shown, never blocking.</summary>
    public bool HasWarnings { get; init; }
    public required bool Blocks { get; init; }
}

public sealed record SectionResult(CatalogSection Section, IReadOnlyList<ItemResult> Items)
{
    public Status Status => Items.Where(i => i.Status != Status.Manual).Select(i => i.Status)
        .DefaultIfEmpty(Status.Manual).MinBy(s => s.Rank());
}

public enum WaiverState { Applied, Unused, Expired, Malformed }

public sealed record WaiverView(WaiverState State, string Check, string Owner, string Reason, string Expires, string Note);

public enum BlockerKind { FailedItem, Waiver, NotRun, Skipped, NotCovered, OutsideCatalog, NoResults }

public sealed record Blocker(BlockerKind Kind, string Subject, string Text);

public sealed record SuiteSummary(string Suite, int Passed, int Failed, int Skipped, bool HasManifest);

/// <summary>The whole sign-off: everything the renderers need, already redacted.</summary>
public sealed record SignOffReport
{
    public required string ResultsDir { get; init; }
    public required string CatalogVersion { get; init; }
    public required string CatalogSource { get; init; }
    public string? WaiversPath { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    public DateTimeOffset? RunStart { get; init; }
    public DateTimeOffset? RunFinish { get; init; }
    public required IReadOnlyList<SuiteSummary> Suites { get; init; }
    public required IReadOnlyList<SectionResult> Sections { get; init; }
    public required IReadOnlyList<CheckRun> Checks { get; init; }
    /// <summary>Checks whose items are all unknown to the catalog.</summary>
    public required IReadOnlyList<CheckRun> OutsideCatalog { get; init; }
    /// <summary>Tests whose display name carries no check ID.</summary>
    public required IReadOnlyList<TestResult> OtherTests { get; init; }
    public required IReadOnlyList<WaiverView> Waivers { get; init; }
    public required IReadOnlyList<Blocker> Blockers { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }
    /// <summary>Verifiable items without checks that did not block (--allow-uncovered).</summary>
    public int UncoveredAllowed { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<CatalogItem>> Signers { get; init; }
    public bool Ship => Blockers.Count == 0;
    public string Verdict => Ship ? "SHIP" : "DO NOT SHIP";
    public int Passed => Suites.Sum(s => s.Passed);
    public int Failed => Suites.Sum(s => s.Failed);
    public int Skipped => Suites.Sum(s => s.Skipped);
    public IEnumerable<ItemResult> AllItems => Sections.SelectMany(s => s.Items);
}
