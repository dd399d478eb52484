using System.Text.Json;
using Json.Schema;

namespace Gate.Security;

/// <summary>The JSON schemas kept in tests/Security/Schemas (contract shapes), and validation against them.</summary>
public static class ApiSchemas
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", $"{name}.json"));

    /// <summary>Every violation as "instance location: message"; empty when the document matches.</summary>
    public static IReadOnlyList<string> Violations(string name, JsonElement document)
    {
        var schema = JsonSchema.FromText(Text(name));
        var result = schema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return [];
        return (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } l ? l : "/")}: {e.Value}"))
            .Distinct().Take(10).ToList();
    }
}
