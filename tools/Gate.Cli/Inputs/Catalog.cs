using YamlDotNet.RepresentationModel;

namespace Gate.Cli.Inputs;

/// <summary>A checklist section (the "### 1." level of the checklist).</summary>
public sealed record CatalogSection(string Number, string Title);

/// <summary>A checklist item (the "#### 1.1" level): verifiable by checks, or manual.</summary>
public sealed record CatalogItem(
    string Id, string Title, bool Verifiable, string Signer, string? Expect, string? Manual)
{
    /// <summary>"10.2" belongs to section "10".</summary>
    public string Section => Id.Split('.')[0];
}

/// <summary>checklist/catalog.yaml: the machine-readable checklist.</summary>
public sealed class Catalog
{
    /// <summary>The sign-off roles of the checklist's final block, in the checklist's order.</summary>
    public static readonly IReadOnlyList<string> SignOffRoles =
        ["DevOps Engineer", "System Administrator", "Product Manager", "Security Officer"];

    public required string Path { get; init; }
    public required string Version { get; init; }
    public required string Source { get; init; }
    public required IReadOnlyList<CatalogSection> Sections { get; init; }
    public required IReadOnlyList<CatalogItem> Items { get; init; }

    public CatalogItem? Find(string id) => Items.FirstOrDefault(i => i.Id == id);

    public static Catalog Load(string path)
    {
        if (!File.Exists(path))
            throw new GateConfigException($"catalog not found: {path} (pass --catalog <file>)");
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new GateConfigException($"{path}:{e.Start.Line}: catalog is not valid YAML: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            throw new GateConfigException($"{path}: catalog is not valid YAML ({e.GetType().Name}): check brackets, quotes and indentation");
        }
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
            throw new GateConfigException($"{path}: catalog must be a mapping with 'sections' and 'items'");

        var sections = new List<CatalogSection>();
        foreach (var node in Seq(root, "sections", path))
        {
            var m = Map(node, path, "section");
            sections.Add(new CatalogSection(Req(m, "number", path), Req(m, "title", path)));
        }
        var items = new List<CatalogItem>();
        foreach (var node in Seq(root, "items", path))
        {
            var m = Map(node, path, "item");
            var id = Req(m, "id", path);
            var verifiable = Opt(m, "verifiable") is { } v
                ? v.Equals("true", StringComparison.OrdinalIgnoreCase)
                : throw new GateConfigException($"{path}:{node.Start.Line}: item {id} has no 'verifiable'");
            var item = new CatalogItem(id, Req(m, "title", path), verifiable, Req(m, "signer", path),
                Opt(m, "expect"), Opt(m, "manual"));
            if (items.Any(i => i.Id == id))
                throw new GateConfigException($"{path}:{node.Start.Line}: item {id} appears twice");
            if (!sections.Any(s => s.Number == item.Section))
                throw new GateConfigException($"{path}:{node.Start.Line}: item {id} has no section {item.Section}");
            items.Add(item);
        }
        return new Catalog
        {
            Path = path,
            Version = Opt(root, "version") ?? "?",
            Source = Opt(root, "source") ?? System.IO.Path.GetFileName(path),
            Sections = sections,
            Items = items,
        };
    }

    private static IEnumerable<YamlNode> Seq(YamlMappingNode root, string key, string path) =>
        root.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlSequenceNode s
            ? s.Children
            : throw new GateConfigException($"{path}: catalog has no '{key}' list");

    private static YamlMappingNode Map(YamlNode node, string path, string what) =>
        node as YamlMappingNode
        ?? throw new GateConfigException($"{path}:{node.Start.Line}: {what} must be a mapping");

    private static string? Opt(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlScalarNode s ? s.Value : null;

    private static string Req(YamlMappingNode m, string key, string path) =>
        Opt(m, key) is { Length: > 0 } v
            ? v
            : throw new GateConfigException($"{path}:{m.Start.Line}: entry has no '{key}'");
}
