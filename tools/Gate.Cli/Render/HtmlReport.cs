using System.Net;
using System.Text;
using Gate.Cli.SignOff;

namespace Gate.Cli.Render;

/// <summary>The sign-off as one self-contained HTML file: inline CSS, no external assets, printable.</summary>
public static class HtmlReport
{
    public static string Render(SignOffReport r, string outDir)
    {
        var h = new StringBuilder();
        h.Append($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(r.Verdict)}: THE_BOT release sign-off</title>
            <style>{Style}</style>
            </head>
            <body>
            <header class="banner {(r.Ship ? "ship" : "noship")}">
              <div class="verdict">{E(r.Verdict)}</div>
              <div class="headline">{E(r.Ship ? "Every required check passed or is waived." + (r.UncoveredAllowed > 0 ? $" {Text.Plural(r.UncoveredAllowed, "verifiable item")} without checks were allowed (--allow-uncovered): not a release verdict." : "") : $"{Text.Plural(r.Blockers.Count, "problem")} block the release.")}</div>
              <div class="chips">{Chips(r)}
              </div>
            </header>
            <main>
            <div class="facts">
              <div>Checklist<b>{E(r.CatalogSource)} v{E(r.CatalogVersion)}</b></div>
              <div>Run<b>{E(Text.Time(r.RunStart))} → {E(Text.Time(r.RunFinish))}</b></div>
              <div>Suites (passed/failed/skipped)<b>{E(r.Suites.Count == 0 ? "none" : string.Join(", ", r.Suites.Select(s => $"{s.Suite} {s.Passed}/{s.Failed}/{s.Skipped}")))}</b></div>
              <div>Generated<b>{E(Text.Time(r.GeneratedAt))}</b></div>
              <div>Results<b><code>{E(r.ResultsDir)}</code></b></div>
              <div>Waivers<b>{(r.WaiversPath is null ? "none" : $"<code>{E(r.WaiversPath)}</code>")}</b></div>
            </div>

            """);

        if (r.Blockers.Count > 0)
        {
            h.Append("<section class=\"blockers\"><h2>Blocking the release</h2><ol>");
            foreach (var b in r.Blockers)
                h.Append($"<li><span class=\"kind\">{E(Kind(b.Kind))}</span> {Anchor(b, r)}</li>");
            h.Append("</ol></section>\n");
        }

        // Overview: one row per checklist section with its item counts by status.
        h.Append("<section><h2>Checklist overview</h2><table class=\"overview\"><thead><tr><th>Section</th><th>Status</th><th>Items</th></tr></thead><tbody>");
        foreach (var s in r.Sections)
        {
            h.Append($"<tr><td><a href=\"#s{E(s.Section.Number)}\">{E(s.Section.Number)}. {E(s.Section.Title)}</a></td><td>{Badge(s.Status)}</td><td>");
            foreach (var g in s.Items.GroupBy(i => i.Status).OrderBy(g => g.Key.Rank()))
                h.Append($"<span class=\"count {Css(g.Key)}\">{g.Count()} {E(g.Key.Label())}</span>");
            h.Append("</td></tr>");
        }
        h.Append("</tbody></table>");
        h.Append("<p class=\"legend\">");
        foreach (var s in Enum.GetValues<Status>()) h.Append(Badge(s)).Append(' ');
        h.Append("<span class=\"muted\">Click an item to see its checks, evidence and attachments.</span></p></section>\n");

        // Sections in checklist order.
        foreach (var s in r.Sections)
        {
            h.Append($"<section class=\"sec\" id=\"s{E(s.Section.Number)}\"><h2>{E(s.Section.Number)}. {E(s.Section.Title)} {Badge(s.Status)}</h2>");
            foreach (var i in s.Items) Item(h, i, outDir);
            h.Append("</section>\n");
        }

        if (r.OutsideCatalog.Count > 0)
        {
            h.Append("<section><h2>Checks outside the checklist</h2>");
            foreach (var c in r.OutsideCatalog) Check(h, c, outDir);
            h.Append("</section>\n");
        }
        if (r.OtherTests.Count > 0)
        {
            h.Append("<section><h2>Tests without a check ID</h2><p class=\"muted\">Tests of the run that are not checks (plumbing, self tests). A failure among them blocks.</p>");
            foreach (var g in r.OtherTests.GroupBy(t => t.Suite))
            {
                var failed = g.Count(t => t.Outcome == Inputs.Outcome.Failed);
                h.Append($"<details class=\"item {(failed > 0 ? "failed" : "passed")}\"{(failed > 0 ? " open" : "")}><summary><span class=\"id\"></span><span class=\"title\">{E(g.Key)}</span>"
                    + $"<span class=\"checks\">{g.Count(t => t.Outcome == Inputs.Outcome.Passed)} passed, {failed} failed, {g.Count(t => t.Outcome == Inputs.Outcome.Skipped)} skipped</span><span></span>"
                    + $"{Badge(failed > 0 ? Status.Failed : Status.Passed)}</summary><div class=\"body\"><table><thead><tr><th>Test</th><th>Outcome</th><th>Message</th></tr></thead><tbody>");
                foreach (var t in g.OrderBy(t => t.Outcome == Inputs.Outcome.Failed ? 0 : t.Outcome == Inputs.Outcome.Skipped ? 1 : 2))
                    h.Append($"<tr><td>{E(t.DisplayName)}</td><td>{E(t.Outcome.ToString().ToLowerInvariant())}</td><td>{E(Text.OneLine(t.Message, 300))}</td></tr>");
                h.Append("</tbody></table></div></details>");
            }
            h.Append("</section>\n");
        }

        h.Append("<section><h2>Waivers</h2>");
        if (r.Waivers.Count == 0)
            h.Append($"<p class=\"muted\">No waivers{(r.WaiversPath is null ? "" : $" in <code>{E(r.WaiversPath)}</code>")}.</p>");
        else
        {
            h.Append("<table class=\"waivers\"><thead><tr><th>Check</th><th>State</th><th>Owner</th><th>Expires</th><th>Reason</th><th>Note</th></tr></thead><tbody>");
            foreach (var w in r.Waivers)
                h.Append($"<tr><td>{E(w.Check)}</td><td><span class=\"badge w-{w.State.ToString().ToLowerInvariant()}\">{E(w.State.ToString().ToLowerInvariant())}</span></td><td>{E(w.Owner)}</td><td>{E(w.Expires)}</td><td>{E(w.Reason)}</td><td>{E(w.Note)}</td></tr>");
            h.Append("</tbody></table>");
        }
        h.Append("</section>\n");

        if (r.Notes.Count > 0)
        {
            h.Append("<section><h2>Notes</h2><ul class=\"notes\">");
            foreach (var n in r.Notes) h.Append($"<li>{E(n)}</li>");
            h.Append("</ul></section>\n");
        }

        h.Append("<section class=\"signoff\"><h2>Sign-off</h2><p class=\"muted\">By signing, each role confirms the automated results above and the manual items it owns.</p><div class=\"roles\">");
        foreach (var (role, items) in r.Signers)
        {
            var manual = items.Where(i => !i.Verifiable).ToList();
            var blocking = r.AllItems.Count(i => i.Item.Signer == role && i.Blocks);
            h.Append($"<div class=\"role\"><h3>{E(role)}</h3><p>{Text.Plural(items.Count, "item")} owned{(blocking > 0 ? $", <strong class=\"bad\">{blocking} blocking</strong>" : "")}.</p>");
            h.Append(manual.Count == 0 ? "<p class=\"muted\">No manual items.</p>"
                : $"<p>Manual: {string.Join(", ", manual.Select(i => $"<a href=\"#i{E(i.Id)}\">{E(i.Id)}</a>"))}</p>");
            h.Append("<div class=\"line\">Name</div><div class=\"line\">Date</div><div class=\"line\">Signature</div></div>");
        }
        h.Append("</div></section>\n</main>\n");
        h.Append($"<footer>gate-cli report · {E(r.Verdict)} · {E(Text.Counts(r))}</footer>\n");
        h.Append("<script>window.addEventListener('beforeprint',()=>document.querySelectorAll('details').forEach(d=>{d.dataset.o=d.open;d.open=true}));window.addEventListener('afterprint',()=>document.querySelectorAll('details').forEach(d=>{d.open=d.dataset.o==='true'}));</script>\n");
        h.Append("</body>\n</html>\n");
        return h.ToString();
    }

    private static void Item(StringBuilder h, ItemResult i, string outDir)
    {
        var open = i.Blocks && i.Status is Status.Failed ? " open" : "";
        h.Append($"<details class=\"item {Css(i.Status)}\" id=\"i{E(i.Item.Id)}\"{open}><summary>");
        h.Append($"<span class=\"id\">{E(i.Item.Id)}</span><span class=\"title\">{E(i.Item.Title)}</span>");
        h.Append($"<span class=\"checks\">{string.Join(" ", i.Checks.Select(c => $"<span class=\"cid {Css(c.Status)}\">{E(c.Id)}</span>"))}</span>");
        h.Append($"<span class=\"signer\">{E(i.Item.Signer)}</span>{Badge(i.Status)}{(i.HasWarnings ? "<span class=\"warn\" title=\"an optional check did not pass\">!</span>" : "")}</summary>");
        h.Append("<div class=\"body\">");
        if (!i.Item.Verifiable)
            h.Append($"<p><strong>Manual item</strong>, signed by the {E(i.Item.Signer)}: {E(i.Item.Manual)}</p>");
        else
            h.Append($"<p class=\"expect\"><strong>Expected:</strong> {E(i.Item.Expect)}</p>");
        if (i.Checks.Count == 0 && i.Item.Verifiable)
            h.Append("<p class=\"bad\">No check covers this item.</p>");
        foreach (var c in i.Checks) Check(h, c, outDir);
        h.Append("</div></details>\n");
    }

    private static void Check(StringBuilder h, CheckRun c, string outDir)
    {
        h.Append($"<div class=\"check {Css(c.Status)}\"><div class=\"chead\"><span class=\"cid\">{E(c.Id)}</span> <span class=\"ctitle\">{E(c.Title)}</span>");
        h.Append($"<span class=\"sev sev-{E(c.Severity.ToLowerInvariant())}\">{E(c.Severity)}</span>{(c.Required ? "" : "<span class=\"opt\">optional</span>")}{Badge(c.Status)}</div>");
        h.Append($"<div class=\"cmeta\">{E(c.Suite)}{(c.Method is null ? "" : $" · <code>{E(c.Method)}</code>")} · {E(Text.Duration(c.Duration))}{(c.Results.Count > 1 ? $" · {c.Results.Count} results" : "")}</div>");
        if (c.Waiver is { } w)
            h.Append($"<p class=\"waiver\">Waived until {w.Expires:yyyy-MM-dd} by {E(w.Owner)}: {E(w.Reason)} <span class=\"muted\">(outcome: {E(c.WaivedStatus!.Value.Label())})</span></p>");
        if (!string.IsNullOrEmpty(c.Message))
            h.Append($"<pre class=\"msg\">{E(c.Message)}</pre>");
        if (c.Evidence.Count > 0)
        {
            h.Append("<table class=\"evidence\"><tbody>");
            foreach (var (k, v) in c.Evidence) h.Append($"<tr><th>{E(k)}</th><td>{E(v)}</td></tr>");
            h.Append("</tbody></table>");
        }
        if (c.Attachments.Count > 0)
            h.Append($"<p class=\"att\">Attachments: {string.Join(" ", c.Attachments.Select(a => $"<a href=\"{E(Text.Link(outDir, a))}\">{E(Path.GetFileName(a))}</a>"))}</p>");
        if (!string.IsNullOrEmpty(c.Output))
            h.Append($"<details class=\"out\"><summary>Output</summary><pre>{E(c.Output)}</pre></details>");
        h.Append("</div>");
    }

    private static string Chips(SignOffReport r)
    {
        var checks = r.Checks.GroupBy(c => c.Status).ToDictionary(g => g.Key, g => g.Count());
        var items = r.AllItems.Count(i => i.Item.Verifiable);
        var itemsOk = r.AllItems.Count(i => i.Item.Verifiable && i.Status is Status.Passed or Status.Waived);
        var chips = new List<string> { $"{itemsOk} of {items} items verified" };
        foreach (var s in new[] { Status.Passed, Status.Failed, Status.Waived, Status.Skipped, Status.NotRun })
            if (checks.GetValueOrDefault(s) is var n && (n > 0 || s is Status.Passed or Status.Failed))
                chips.Add($"{n} check{(n == 1 ? "" : "s")} {s.Label()}");
        return string.Concat(chips.Select(c => $"<span class=\"chip\">{E(c)}</span>"));
    }

    private static string Anchor(Blocker b, SignOffReport r) =>
        r.AllItems.Any(i => i.Item.Id == b.Subject) ? $"<a href=\"#i{E(b.Subject)}\">{E(b.Text)}</a>" : E(b.Text);

    private static string Kind(BlockerKind k) => k switch
    {
        BlockerKind.FailedItem => "failed",
        BlockerKind.Waiver => "waiver",
        BlockerKind.NotRun => "not run",
        BlockerKind.Skipped => "skipped",
        BlockerKind.NotCovered => "not covered",
        BlockerKind.OutsideCatalog => "unmapped",
        BlockerKind.NoResults => "no results",
        _ => k.ToString(),
    };

    private static string Badge(Status s) => $"<span class=\"badge {Css(s)}\">{E(s.Label())}</span>";

    private static string Css(Status s) => s switch
    {
        Status.NotRun => "notrun",
        Status.NotCovered => "notcovered",
        _ => s.ToString().ToLowerInvariant(),
    };

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    private const string Style = """
        :root{--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--skip:#9a6700;--skip-bg:#fff8c5;--waive:#8250df;--waive-bg:#fbefff;--grey:#57606a;--grey-bg:#eaeef2;--line:#d0d7de;--ink:#1f2328}
        *{box-sizing:border-box}
        body{margin:0;font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,"Noto Sans",sans-serif;color:var(--ink);background:#f6f8fa;-webkit-print-color-adjust:exact;print-color-adjust:exact}
        main{max-width:1180px;margin:0 auto;padding:8px 24px 24px}
        .banner{padding:22px max(32px,calc((100% - 1180px)/2 + 24px));color:#fff}
        .banner.ship{background:linear-gradient(90deg,#1a7f37,#2da44e)}
        .banner.noship{background:linear-gradient(90deg,#a40e26,#cf222e)}
        .verdict{font-size:34px;font-weight:800;letter-spacing:.04em}
        .headline{font-size:16px;opacity:.95;margin-top:2px}
        .chips{margin-top:10px}
        .chip{display:inline-block;background:rgba(255,255,255,.18);border:1px solid rgba(255,255,255,.35);border-radius:999px;padding:2px 12px;margin-right:6px;font-weight:600}
        .meta{color:var(--grey);font-size:12.5px;margin:14px 0}
        h2{font-size:18px;margin:26px 0 10px;padding-bottom:6px;border-bottom:1px solid var(--line)}
        h2 .badge{vertical-align:middle;margin-left:6px}
        code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--grey-bg);padding:1px 4px;border-radius:4px}
        a{color:#0969da;text-decoration:none} a:hover{text-decoration:underline}
        table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line);border-radius:6px}
        th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
        thead th{background:#f6f8fa;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--grey)}
        .blockers{background:#fff;border:1px solid var(--fail);border-left:6px solid var(--fail);border-radius:6px;padding:4px 18px 10px;margin-top:16px}
        .blockers h2{border:0;color:var(--fail);margin-top:12px}
        .blockers li{margin:4px 0}
        .blockers a{color:var(--ink)}
        .kind{display:inline-block;min-width:86px;font-size:11px;font-weight:700;text-transform:uppercase;color:var(--fail)}
        .badge{display:inline-block;border-radius:999px;padding:1px 9px;font-size:11.5px;font-weight:700;white-space:nowrap;border:1px solid transparent}
        .badge.passed,.count.passed{color:var(--pass);background:var(--pass-bg);border-color:#aceebb}
        .badge.failed,.count.failed{color:var(--fail);background:var(--fail-bg);border-color:#ffcecb}
        .badge.skipped,.count.skipped,.badge.notrun,.count.notrun{color:var(--skip);background:var(--skip-bg);border-color:#eed888}
        .badge.notcovered,.count.notcovered{color:#bc4c00;background:#fff1e5;border-color:#ffd8b5}
        .badge.waived,.count.waived{color:var(--waive);background:var(--waive-bg);border-color:#ecd8ff}
        .badge.manual,.count.manual{color:var(--grey);background:var(--grey-bg);border-color:var(--line)}
        .count{display:inline-block;border-radius:4px;padding:0 7px;margin:1px 4px 1px 0;font-size:12px;border:1px solid}
        .legend{margin:8px 0 0;font-size:12px}
        .muted{color:var(--grey)}
        .bad{color:var(--fail)}
        details.item{background:#fff;border:1px solid var(--line);border-left:5px solid var(--line);border-radius:6px;margin:6px 0}
        details.item.passed{border-left-color:var(--pass)} details.item.failed{border-left-color:var(--fail)}
        details.item.skipped,details.item.notrun{border-left-color:#d4a72c} details.item.notcovered{border-left-color:#fb8f44}
        details.item.waived{border-left-color:var(--waive)} details.item.manual{border-left-color:#afb8c1}
        details.item>summary{display:grid;grid-template-columns:56px minmax(180px,1fr) minmax(120px,auto) 150px 96px 12px;gap:10px;align-items:center;padding:8px 12px;cursor:pointer;list-style:none}
        details.item>summary::-webkit-details-marker{display:none}
        details.item>summary::before{content:"";display:none}
        details.item[open]>summary{border-bottom:1px solid var(--line);background:#fbfcfd}
        summary .id{font-weight:700;color:var(--grey);white-space:nowrap}
        summary .id::before{content:"";display:inline-block;width:0;height:0;border:4px solid transparent;border-left:6px solid #8c959f;margin-right:6px;vertical-align:1px;transition:transform .15s}
        details.item[open]>summary .id::before{transform:rotate(90deg) translateX(2px)}
        summary .title{font-weight:600}
        summary .signer{color:var(--grey);font-size:12px}
        summary .badge{justify-self:start}
        .warn{color:var(--skip);font-weight:800}
        .cid{font:600 12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:1px 5px;border-radius:4px;background:var(--grey-bg)}
        .checks .cid.passed{background:var(--pass-bg);color:var(--pass)} .checks .cid.failed{background:var(--fail-bg);color:var(--fail)}
        .checks .cid.skipped,.checks .cid.notrun{background:var(--skip-bg);color:var(--skip)} .checks .cid.waived{background:var(--waive-bg);color:var(--waive)}
        .body{padding:8px 14px 12px}
        .expect{color:var(--grey);margin:4px 0 8px}
        .check{border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:8px 0;background:#fff}
        .check.failed{border-color:#ffcecb;background:#fffafa} .check.waived{border-color:#ecd8ff}
        .chead{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
        .ctitle{font-weight:600;flex:1}
        .cmeta{color:var(--grey);font-size:12px;margin-top:2px}
        .sev{font-size:11px;font-weight:700;text-transform:uppercase;padding:1px 6px;border-radius:4px;background:var(--grey-bg);color:var(--grey)}
        .sev-critical{background:#82071e;color:#fff} .sev-high{background:var(--fail-bg);color:var(--fail)} .sev-medium{background:var(--skip-bg);color:var(--skip)}
        .opt{font-size:11px;color:var(--grey);border:1px dashed var(--line);padding:0 5px;border-radius:4px}
        pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-word;background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:8px 0;max-height:340px;overflow:auto}
        pre.msg{background:#fff;border-left:3px solid var(--grey)}
        .check.failed pre.msg{border-left-color:var(--fail)} .check.skipped pre.msg,.check.notrun pre.msg{border-left-color:#d4a72c}
        table.evidence{width:auto;min-width:50%;margin:8px 0;font-size:12.5px}
        table.evidence th{background:#f6f8fa;font-weight:600;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;width:1%;white-space:nowrap}
        .waiver{background:var(--waive-bg);border-radius:4px;padding:4px 8px;margin:6px 0}
        .att a{margin-right:10px}
        details.out>summary{cursor:pointer;color:var(--grey);font-size:12px}
        table.waivers td:nth-child(-n+4){white-space:nowrap}
        .facts{display:flex;flex-wrap:wrap;gap:6px 28px;margin:14px 0;font-size:12.5px;color:var(--grey)}
        .facts b{display:block;color:var(--ink);font-weight:600}
        .badge.w-applied{color:var(--waive);background:var(--waive-bg)} .badge.w-unused{color:var(--grey);background:var(--grey-bg)}
        .badge.w-expired,.badge.w-malformed{color:var(--fail);background:var(--fail-bg)}
        .roles{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}
        .role{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 14px}
        .role h3{margin:0 0 4px;font-size:15px}
        .role p{margin:4px 0;font-size:12.5px}
        .line{border-bottom:1px solid #8c959f;height:30px;margin-top:6px;font-size:11px;color:var(--grey);display:flex;align-items:flex-end}
        footer{text-align:center;color:var(--grey);font-size:12px;padding:16px}
        @media screen and (max-width:900px){.roles{grid-template-columns:repeat(2,1fr)}details.item>summary{grid-template-columns:56px 1fr auto auto}summary .checks,summary .signer{display:none}}
        @media print{@page{margin:12mm}body{background:#fff;font-size:11.5px}details.item>summary{grid-template-columns:52px minmax(150px,1fr) auto 120px 80px 10px;gap:6px}.roles{grid-template-columns:repeat(2,1fr)}main{max-width:none;padding:0 8px}.banner{padding:12px 16px}details.item,.check,.role,tr{break-inside:avoid}pre{max-height:none}a{color:var(--ink)}.legend{display:none}}
        """;
}
