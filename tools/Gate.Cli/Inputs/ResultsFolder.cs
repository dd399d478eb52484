namespace Gate.Cli.Inputs;

/// <summary>A results folder (GATE_RESULTS_DIR): <c>&lt;Suite&gt;.trx</c> files at the top,
/// <c>manifest/&lt;Suite&gt;.json</c>, <c>evidence/&lt;ID&gt;.json</c> and <c>attachments/&lt;ID&gt;/...</c>.</summary>
public sealed class ResultsFolder
{
    public required string Dir { get; init; }
    public required IReadOnlyList<TrxFile> Trx { get; init; }
    public required IReadOnlyList<Manifest> Manifests { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>> Evidence { get; init; }
    /// <summary>Attachment files per check ID, as full paths, sorted.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Attachments { get; init; }

    public static IReadOnlyList<string> TrxPaths(string dir) =>
        Directory.GetFiles(dir, "*.trx", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList();

    public static ResultsFolder Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new GateConfigException($"results folder not found: {dir}");
        var trx = TrxPaths(dir).Select(TrxFile.Load).ToList();

        var manifestDir = Path.Combine(dir, "manifest");
        var manifests = Directory.Exists(manifestDir)
            ? Directory.GetFiles(manifestDir, "*.json").Order(StringComparer.Ordinal).Select(Manifest.Load).ToList()
            : [];

        var evidence = new Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>>();
        var evidenceDir = Path.Combine(dir, "evidence");
        if (Directory.Exists(evidenceDir))
            foreach (var f in Directory.GetFiles(evidenceDir, "*.json").Order(StringComparer.Ordinal))
                evidence[Path.GetFileNameWithoutExtension(f)] = EvidenceFile.Load(f);

        var attachments = new Dictionary<string, IReadOnlyList<string>>();
        var attachmentDir = Path.Combine(dir, "attachments");
        if (Directory.Exists(attachmentDir))
            foreach (var d in Directory.GetDirectories(attachmentDir).Order(StringComparer.Ordinal))
                attachments[Path.GetFileName(d)] = Directory.GetFiles(d, "*", SearchOption.AllDirectories)
                    .Order(StringComparer.Ordinal).ToList();

        return new ResultsFolder { Dir = dir, Trx = trx, Manifests = manifests, Evidence = evidence, Attachments = attachments };
    }
}
