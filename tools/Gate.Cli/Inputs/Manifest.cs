using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gate.Cli.Inputs;

/// <summary>One check declared in a suite: <c>manifest/&lt;Suite&gt;.json</c> "checks" entry.</summary>
public sealed record ManifestCheck
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("items")] public IReadOnlyList<string> Items { get; init; } = [];
    [JsonPropertyName("severity")] public string Severity { get; init; } = "Unknown";
    [JsonPropertyName("title")] public string Title { get; init; } = "";
    [JsonPropertyName("required")] public bool Required { get; init; } = true;
    [JsonPropertyName("method")] public string? Method { get; init; }
}

/// <summary><c>&lt;results&gt;/manifest/&lt;Suite&gt;.json</c>: every check a suite declares.</summary>
public sealed record Manifest
{
    [JsonPropertyName("suite")] public string Suite { get; init; } = "";
    [JsonPropertyName("checks")] public IReadOnlyList<ManifestCheck> Checks { get; init; } = [];

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Manifest Load(string path)
    {
        Manifest? m;
        try
        {
            m = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new GateConfigException($"{path}:{(e.LineNumber ?? 0) + 1}: manifest is not valid JSON: {e.Message}");
        }
        if (m is null) throw new GateConfigException($"{path}: manifest is empty");
        foreach (var c in m.Checks)
            if (!CheckName.IdPattern().IsMatch(c.Id))
                throw new GateConfigException($"{path}: check id '{c.Id}' is not of the form ABC-123");
        return string.IsNullOrEmpty(m.Suite) ? m with { Suite = System.IO.Path.GetFileNameWithoutExtension(path) } : m;
    }
}

/// <summary><c>&lt;results&gt;/evidence/&lt;ID&gt;.json</c>: key/value lines a check recorded.</summary>
public static class EvidenceFile
{
    public static IReadOnlyList<KeyValuePair<string, string>> Load(string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new GateConfigException($"{path}:{(e.LineNumber ?? 0) + 1}: evidence is not valid JSON: {e.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("evidence", out var ev) || ev.ValueKind != JsonValueKind.Object)
                throw new GateConfigException($"{path}: evidence must be {{\"id\":...,\"evidence\":{{\"key\":\"value\"}}}}");
            return ev.EnumerateObject()
                .Select(p => KeyValuePair.Create(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText()))
                .ToList();
        }
    }
}
