using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Gate.Cli.Inputs;

namespace Gate.Cli.Commands;

/// <summary><c>merge --out &lt;dir&gt; &lt;dir1&gt; &lt;dir2&gt; ...</c>: one results folder from several shards.
/// Same-named trx files (one suite split over agents) become one trx with summed counters; manifests
/// are united by check ID; evidence files of the same check are united by key; every other file is
/// copied, a different file under an existing name gets a <c>.shardN</c> suffix.</summary>
public static class MergeCommand
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public static int Run(Args a, TextWriter stdout, TextWriter stderr)
    {
        var outDir = a.Require("out");
        a.RejectUnknown(maxPositional: int.MaxValue);
        var inputs = a.Positional;
        if (inputs.Count == 0) throw new GateConfigException("merge: usage: gate-cli merge --out <dir> <dir1> <dir2> ...");
        foreach (var d in inputs)
            if (!Directory.Exists(d)) throw new GateConfigException($"merge: results folder not found: {d}");
        var outFull = Path.GetFullPath(outDir);
        if (inputs.Any(d => Path.GetFullPath(d).TrimEnd('/') == outFull.TrimEnd('/')))
            throw new GateConfigException("merge: --out must be a new folder, not one of the inputs");
        if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any())
            throw new GateConfigException($"merge: --out {outDir} is not empty");

        Merge(outDir, inputs, stderr);
        var trx = ResultsFolder.TrxPaths(outDir).Select(TrxFile.Load).ToList();
        stdout.WriteLine($"merged {inputs.Count} results folders into {outDir}: {trx.Count} trx, "
            + $"{trx.Sum(t => t.Counters.Passed)} passed, {trx.Sum(t => t.Counters.NotPassed)} failed, {trx.Sum(t => t.Counters.Skipped)} skipped");
        return 0;
    }

    public static void Merge(string outDir, IReadOnlyList<string> inputs, TextWriter warnings)
    {
        Directory.CreateDirectory(outDir);
        var trx = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var manifests = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var evidence = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var copies = new List<(string Source, string Relative, int Shard)>();
        for (var shard = 0; shard < inputs.Count; shard++)
        {
            var dir = inputs[shard];
            foreach (var file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var rel = Path.GetRelativePath(dir, file);
                var parts = rel.Split(Path.DirectorySeparatorChar);
                if (parts[0] == "signoff") continue; // a shard's own report: rebuilt from the merged folder
                var bucket = parts switch
                {
                    [var f] when f.EndsWith(".trx", StringComparison.OrdinalIgnoreCase) => trx,
                    ["manifest", var f] when f.EndsWith(".json", StringComparison.Ordinal) => manifests,
                    ["evidence", var f] when f.EndsWith(".json", StringComparison.Ordinal) => evidence,
                    _ => null,
                };
                if (bucket is null) copies.Add((file, rel, shard + 1));
                else (bucket.TryGetValue(rel, out var l) ? l : bucket[rel] = []).Add(file);
            }
        }

        foreach (var (rel, files) in trx)
            Save(MergeTrx(files), Path.Combine(outDir, rel));
        foreach (var (rel, files) in manifests)
            WriteJson(Path.Combine(outDir, rel), MergeManifests(files, warnings));
        foreach (var (rel, files) in evidence)
            WriteJson(Path.Combine(outDir, rel), MergeEvidence(files, warnings));
        foreach (var (source, rel, shard) in copies)
        {
            var target = Path.Combine(outDir, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target))
            {
                if (File.ReadAllBytes(target).AsSpan().SequenceEqual(File.ReadAllBytes(source))) continue;
                target = Path.Combine(Path.GetDirectoryName(target)!,
                    $"{Path.GetFileNameWithoutExtension(target)}.shard{shard}{Path.GetExtension(target)}");
                warnings.WriteLine($"gate-cli: merge: {rel} differs between shards; shard {shard}'s copy kept as {Path.GetFileName(target)}");
            }
            File.Copy(source, target);
        }
    }

    /// <summary>One trx from several: results, definitions and entries united, counters summed, times spanned.</summary>
    public static XDocument MergeTrx(IReadOnlyList<string> files)
    {
        var docs = files.Select(f =>
        {
            TrxFile.Load(f); // validates, with a clear message
            return XDocument.Load(f);
        }).ToList();
        var merged = new XDocument(docs[0]);
        var run = merged.Root!;
        foreach (var other in docs.Skip(1).Select(d => d.Root!))
        {
            Append(run, other, "Results", "UnitTestResult", null);
            Append(run, other, "TestDefinitions", "UnitTest", "id");
            Append(run, other, "TestEntries", "TestEntry", "executionId");

            var times = run.Element(Ns + "Times");
            var otherTimes = other.Element(Ns + "Times");
            if (times is not null && otherTimes is not null)
                foreach (var (attr, earliest) in new[] { ("creation", true), ("queuing", true), ("start", true), ("finish", false) })
                {
                    if (!DateTimeOffset.TryParse((string?)otherTimes.Attribute(attr), CultureInfo.InvariantCulture, DateTimeStyles.None, out var o)) continue;
                    if (!DateTimeOffset.TryParse((string?)times.Attribute(attr), CultureInfo.InvariantCulture, DateTimeStyles.None, out var m)
                        || (earliest ? o < m : o > m))
                        times.SetAttributeValue(attr, (string?)otherTimes.Attribute(attr));
                }

            var summary = run.Element(Ns + "ResultSummary");
            var otherSummary = other.Element(Ns + "ResultSummary");
            if (summary is null || otherSummary is null) continue;
            if ((string?)otherSummary.Attribute("outcome") == "Failed") summary.SetAttributeValue("outcome", "Failed");
            var counters = summary.Element(Ns + "Counters");
            var otherCounters = otherSummary.Element(Ns + "Counters");
            if (counters is not null && otherCounters is not null)
                foreach (var attr in otherCounters.Attributes())
                    counters.SetAttributeValue(attr.Name,
                        (int.TryParse((string?)counters.Attribute(attr.Name), out var x) ? x : 0) + (int.TryParse(attr.Value, out var y) ? y : 0));
            var runInfos = otherSummary.Element(Ns + "RunInfos");
            if (runInfos is not null)
            {
                var target = summary.Element(Ns + "RunInfos");
                if (target is null) summary.Add(new XElement(runInfos));
                else target.Add(runInfos.Elements());
            }
        }
        return merged;
    }

    private static void Append(XElement run, XElement other, string container, string element, string? key)
    {
        var source = other.Element(Ns + container);
        if (source is null) return;
        var target = run.Element(Ns + container);
        if (target is null) { run.Add(target = new XElement(Ns + container)); }
        var existing = key is null ? null : target.Elements(Ns + element).Select(e => (string?)e.Attribute(key)).ToHashSet();
        foreach (var e in source.Elements(Ns + element))
            if (existing is null || !existing.Contains((string?)e.Attribute(key!)))
                target.Add(new XElement(e));
    }

    private static Manifest MergeManifests(IReadOnlyList<string> files, TextWriter warnings)
    {
        var all = files.Select(Manifest.Load).ToList();
        var checks = new List<ManifestCheck>();
        foreach (var c in all.SelectMany(m => m.Checks))
        {
            var seen = checks.FirstOrDefault(x => x.Id == c.Id);
            if (seen is null) checks.Add(c);
            else if (seen.Title != c.Title || seen.Severity != c.Severity || seen.Required != c.Required || !seen.Items.SequenceEqual(c.Items))
                warnings.WriteLine($"gate-cli: merge: {c.Id} is declared differently by two shards (built from different commits?); the first declaration is kept");
        }
        return new Manifest { Suite = all[0].Suite, Checks = checks };
    }

    private static object MergeEvidence(IReadOnlyList<string> files, TextWriter warnings)
    {
        var id = Path.GetFileNameWithoutExtension(files[0]);
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var i = 0; i < files.Count; i++)
            foreach (var (k, v) in EvidenceFile.Load(files[i]))
            {
                if (!merged.TryGetValue(k, out var old)) { merged[k] = v; order.Add(k); continue; }
                if (old == v) continue;
                var key = $"{k} (shard {i + 1})";
                warnings.WriteLine($"gate-cli: merge: evidence {id}/{k} differs between shards; kept both ('{key}')");
                merged[key] = v;
                order.Add(key);
            }
        return new { id, evidence = order.ToDictionary(k => k, k => merged[k]) };
    }

    private static void Save(XDocument doc, string path)
    {
        using var w = new StreamWriter(path, false, new System.Text.UTF8Encoding(true));
        doc.Save(w);
    }

    private static void WriteJson(string path, object value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(value, Manifest.Json));
    }
}
