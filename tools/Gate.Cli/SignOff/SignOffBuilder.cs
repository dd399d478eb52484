using Gate.Cli.Inputs;

namespace Gate.Cli.SignOff;

public sealed record SignOffOptions
{
    /// <summary>The date waivers are judged against (UTC today by default).</summary>
    public required DateOnly Today { get; init; }
    public required DateTimeOffset Now { get; init; }
    /// <summary>Verifiable items without any check do not block (still shown as not covered).</summary>
    public bool AllowUncovered { get; init; }
    /// <summary>Waivers expiring within this many days get a note.</summary>
    public int ExpiryWarningDays { get; init; } = 14;
}

/// <summary>Turns trx + manifests + evidence + catalog + waivers into the sign-off and its verdict.</summary>
public static partial class SignOffBuilder
{
    /// <summary>xUnit appends a theory row's arguments to the display name: "Title(host: \"a\")".</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\((\w+: .*)\)$")]
    private static partial System.Text.RegularExpressions.Regex TheoryArgs();

    private const int MaxOutput = 4000;

    /// <summary>Text of several results of one check (theory rows, shards), each under its name.</summary>
    private static string? Rows(IReadOnlyList<TestResult> rs, Func<TestResult, string?> text)
    {
        var parts = rs.Where(r => !string.IsNullOrEmpty(text(r)))
            .OrderBy(r => r.Outcome == Outcome.Failed ? 0 : r.Outcome == Outcome.Skipped ? 1 : 2)
            .Select(r => $"[{(r.Check?.Title is { Length: > 0 } t ? t : r.DisplayName)}: {r.Outcome.ToString().ToLowerInvariant()}]\n{text(r)}")
            .ToList();
        return parts.Count == 0 ? null : string.Join("\n", parts);
    }

    public static SignOffReport Build(ResultsFolder results, Catalog catalog, WaiverFile waivers, SignOffOptions options)
    {
        var notes = new List<string>();
        var manifestChecks = new Dictionary<string, (ManifestCheck Check, string Suite)>();
        foreach (var m in results.Manifests)
            foreach (var c in m.Checks)
                manifestChecks.TryAdd(c.Id, (c, m.Suite));

        // Results by check ID (theory rows and repeated shards aggregate), the rest are other tests.
        var byId = new Dictionary<string, List<TestResult>>();
        var other = new List<TestResult>();
        foreach (var r in results.Trx.SelectMany(t => t.Results))
        {
            if (r.Check is { } name) (byId.TryGetValue(name.Id, out var l) ? l : byId[name.Id] = []).Add(r);
            else other.Add(r);
        }

        var activeWaivers = waivers.Waivers.Where(w => !w.IsExpired(options.Today)).ToDictionary(w => w.Check);
        var checks = new List<CheckRun>();
        foreach (var id in manifestChecks.Keys.Union(byId.Keys).Order(StringComparer.Ordinal))
        {
            var rs = byId.GetValueOrDefault(id) ?? [];
            var declared = manifestChecks.TryGetValue(id, out var mc) ? mc.Check : null;
            var parsed = rs.Select(r => r.Check!).FirstOrDefault();
            var outcome = rs.Count == 0 ? Status.NotRun
                : rs.Any(r => r.Outcome == Outcome.Failed) ? Status.Failed
                : rs.Any(r => r.Outcome == Outcome.Skipped) ? Status.Skipped
                : Status.Passed;
            var shown = rs.FirstOrDefault(r => r.Outcome == Outcome.Failed)
                ?? rs.FirstOrDefault(r => r.Outcome == Outcome.Skipped) ?? rs.FirstOrDefault();
            var waiver = outcome != Status.Passed && activeWaivers.TryGetValue(id, out var w) ? w : null;
            var output = Redact.Text(rs.Count <= 1 ? shown?.StdOut : Rows(rs, r => r.StdOut));
            if (output is { Length: > MaxOutput }) output = output[..MaxOutput] + $"\n... ({output.Length - MaxOutput} more characters in the trx)";
            checks.Add(new CheckRun
            {
                Id = id,
                Suite = declared is not null ? mc.Suite : rs[0].Suite,
                Title = declared?.Title is { Length: > 0 } t ? t : TheoryArgs().Replace(parsed?.Title ?? "", ""),
                Items = declared?.Items ?? parsed?.Items ?? [],
                Severity = declared?.Severity ?? "Unknown",
                Required = declared?.Required ?? true,
                InManifest = declared is not null,
                Method = declared?.Method ?? shown?.Method,
                Results = rs,
                Status = waiver is null ? outcome : Status.Waived,
                WaivedStatus = waiver is null ? null : outcome,
                Waiver = waiver,
                Message = Redact.Text(outcome == Status.NotRun
                    ? $"declared in manifest/{mc.Suite}.json but no result in any trx (filtered out, shard missing or run aborted)"
                    : outcome == Status.Passed ? null
                    : rs.Count(r => r.Outcome == shown!.Outcome) > 1 ? Rows(rs.Where(r => r.Outcome == shown!.Outcome).ToList(), r => r.Message)
                    : shown?.Message),
                Output = output,
                Evidence = (results.Evidence.GetValueOrDefault(id) ?? [])
                    .Select(kv => KeyValuePair.Create(kv.Key, Redact.EvidenceValue(kv.Key, kv.Value))).ToList(),
                Attachments = results.Attachments.GetValueOrDefault(id) ?? [],
            });
        }

        // Items in checklist order.
        var sections = new List<SectionResult>();
        foreach (var section in catalog.Sections)
        {
            var items = new List<ItemResult>();
            foreach (var item in catalog.Items.Where(i => i.Section == section.Number))
            {
                var its = checks.Where(c => c.Items.Contains(item.Id)).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
                var required = its.Where(c => c.Required).ToList();
                var basis = required.Count > 0 ? required : its;
                var status = !item.Verifiable ? Status.Manual
                    : its.Count == 0 ? Status.NotCovered
                    : basis.Select(c => c.Status).MinBy(s => s.Rank());
                var blocks = item.Verifiable && (its.Any(c => c.Blocks) || (status == Status.NotCovered && !options.AllowUncovered));
                items.Add(new ItemResult
                {
                    Item = item,
                    Status = status,
                    Checks = its,
                    HasWarnings = its.Any(c => !c.Required && c.Status is Status.Failed or Status.Skipped or Status.NotRun),
                    Blocks = blocks,
                });
            }
            sections.Add(new SectionResult(section, items));
        }
        var allItems = sections.SelectMany(s => s.Items).ToList();
        var outside = checks.Where(c => c.Items.Count == 0 || c.Items.All(i => catalog.Find(i) is null)).ToList();
        foreach (var c in checks)
            foreach (var unknown in c.Items.Where(i => catalog.Find(i) is null))
                notes.Add($"{c.Id} names checklist item {unknown}, which {catalog.Source} does not have");
        foreach (var c in checks.Where(c => c.Required && c.Status == Status.Failed && allItems.Any(i => !i.Item.Verifiable && c.Items.Contains(i.Item.Id))))
            notes.Add($"{c.Id} failed on a manual item; it blocks the release all the same");

        // Waivers: every entry is shown, applied, unused, expired or malformed.
        var waiverViews = new List<WaiverView>();
        foreach (var w in waivers.Waivers)
        {
            var check = checks.FirstOrDefault(c => c.Id == w.Check);
            var expires = w.Expires.ToString("yyyy-MM-dd");
            if (w.IsExpired(options.Today))
                waiverViews.Add(new WaiverView(WaiverState.Expired, w.Check, w.Owner, w.Reason, expires,
                    $"expired on {expires}: renew it with a new reason or fix {w.Check}"));
            else if (check?.Waiver is not null)
            {
                var left = w.Expires.DayNumber - options.Today.DayNumber;
                waiverViews.Add(new WaiverView(WaiverState.Applied, w.Check, w.Owner, w.Reason, expires,
                    $"accepts a {check.WaivedStatus!.Value.Label()} result"
                    + (left <= options.ExpiryWarningDays ? $"; expires in {left} day{(left == 1 ? "" : "s")}" : "")));
            }
            else
                waiverViews.Add(new WaiverView(WaiverState.Unused, w.Check, w.Owner, w.Reason, expires,
                    check is null ? $"{w.Check} is not among the checks of this run" : $"{w.Check} passed: the waiver can be removed"));
        }
        foreach (var p in waivers.Problems)
            waiverViews.Add(new WaiverView(WaiverState.Malformed, p.Check ?? "?", "", "", "", p.ToString()));

        // The verdict: failed required items first.
        var blockers = new List<Blocker>();
        foreach (var i in allItems.Where(i => i.Blocks && i.Checks.Any(c => c.Blocks && c.Status == Status.Failed))
                     .OrderBy(i => i.Checks.Where(c => c.Blocks && c.Status == Status.Failed).Min(c => StatusText.SeverityRank(c.Severity))))
        {
            var failing = i.Checks.Where(c => c.Blocks && c.Status == Status.Failed)
                .OrderBy(c => StatusText.SeverityRank(c.Severity)).ThenBy(c => c.Id, StringComparer.Ordinal);
            blockers.Add(new Blocker(BlockerKind.FailedItem, i.Item.Id,
                $"{i.Item.Id} {i.Item.Title}: failed {string.Join(", ", failing.Select(c => $"{c.Id} ({c.Severity})"))}"));
        }
        foreach (var w in waiverViews.Where(w => w.State is WaiverState.Expired))
        {
            var entry = waivers.Waivers.First(x => x.Check == w.Check && x.IsExpired(options.Today));
            blockers.Add(new Blocker(BlockerKind.Waiver, w.Check, new WaiverProblem(waivers.Path!, entry.Line, entry.Entry, w.Check, w.Note).ToString()));
        }
        foreach (var p in waivers.Problems)
            blockers.Add(new Blocker(BlockerKind.Waiver, p.Check ?? "?", p.ToString()));
        var inCatalog = checks.Except(outside).ToList();
        foreach (var c in inCatalog.Where(c => c.Blocks && c.Status == Status.NotRun))
            blockers.Add(new Blocker(BlockerKind.NotRun, c.Id, $"{c.Id} {c.Title} ({string.Join(", ", c.Items)}): did not run"));
        foreach (var c in inCatalog.Where(c => c.Blocks && c.Status == Status.Skipped))
            blockers.Add(new Blocker(BlockerKind.Skipped, c.Id,
                $"{c.Id} {c.Title} ({string.Join(", ", c.Items)}): skipped: {Render.Text.FirstLine(c.Message, 200)}"));
        var uncovered = allItems.Where(i => i.Blocks && i.Status == Status.NotCovered).ToList();
        var allowed = allItems.Count(i => i.Item.Verifiable && i.Status == Status.NotCovered && !i.Blocks);
        if (allowed > 0)
            notes.Add($"{Render.Text.Plural(allowed, "verifiable item")} without any check did not block: --allow-uncovered (not for release runs)");
        if (uncovered.Count > 0)
            blockers.Add(new Blocker(BlockerKind.NotCovered, uncovered[0].Item.Id,
                $"{Render.Text.Plural(uncovered.Count, "verifiable item")} without any check: {string.Join(", ", uncovered.Select(i => i.Item.Id))}"));
        foreach (var c in outside.Where(c => c.Blocks))
            blockers.Add(new Blocker(BlockerKind.OutsideCatalog, c.Id, $"{c.Id} {c.Title}: {c.Status.Label()} (names no checklist item)"));
        foreach (var t in other.Where(t => t.Outcome == Outcome.Failed))
            blockers.Add(new Blocker(BlockerKind.OutsideCatalog, t.DisplayName, $"{t.Suite}: {t.DisplayName}: failed (test without a check ID)"));
        if (results.Trx.Sum(t => t.Counters.Total) == 0)
            blockers.Insert(0, new Blocker(BlockerKind.NoResults, results.Dir,
                results.Trx.Count == 0 ? $"no trx file in {results.Dir}: no test ran" : $"the trx files in {results.Dir} hold no test: no test ran"));

        var suites = results.Trx.GroupBy(t => t.Suite).Select(g => new SuiteSummary(g.Key,
                g.Sum(t => t.Counters.Passed), g.Sum(t => t.Counters.NotPassed), g.Sum(t => t.Counters.Skipped),
                results.Manifests.Any(m => m.Suite == g.Key)))
            .ToList();
        foreach (var s in suites.Where(s => !s.HasManifest))
            notes.Add($"no manifest/{s.Suite}.json: severities unknown, every check of {s.Suite} treated as required");
        foreach (var m in results.Manifests.Where(m => suites.All(s => s.Suite != m.Suite)))
            notes.Add($"manifest/{m.Suite}.json has no {m.Suite}.trx: its checks did not run");
        foreach (var t in results.Trx)
            foreach (var e in t.RunErrors.Take(3))
                notes.Add($"{Path.GetFileName(t.Path)} reports a run error: {Render.Text.OneLine(Redact.Text(e), 300)}");
        foreach (var id in results.Evidence.Keys.Where(id => checks.All(c => c.Id != id)))
            notes.Add($"evidence/{id}.json belongs to no check of this run");

        return new SignOffReport
        {
            ResultsDir = results.Dir,
            CatalogVersion = catalog.Version,
            CatalogSource = catalog.Source,
            WaiversPath = waivers.Path,
            GeneratedAt = options.Now,
            RunStart = results.Trx.Select(t => t.Start).Where(t => t is not null).Min(),
            RunFinish = results.Trx.Select(t => t.Finish).Where(t => t is not null).Max(),
            Suites = suites,
            Sections = sections,
            Checks = checks,
            OutsideCatalog = outside,
            OtherTests = other.Select(t => t with { Message = Redact.Text(t.Message), StdOut = Redact.Text(t.StdOut) }).ToList(),
            Waivers = waiverViews,
            Blockers = blockers,
            Notes = notes,
            UncoveredAllowed = allowed,
            Signers = Catalog.SignOffRoles.ToDictionary(r => r,
                r => (IReadOnlyList<CatalogItem>)catalog.Items.Where(i => i.Signer == r).ToList()),
        };
    }
}
