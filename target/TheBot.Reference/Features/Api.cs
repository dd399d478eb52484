using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>THE_BOT's response conventions (contract §1): DRF pages, generic 400s, `detail` errors.</summary>
public static class Api
{
    public const int PageSize = 20;

    public static IResult Validation() =>
        Results.Json(new { success = false, error = "Ошибка валидации данных" }, statusCode: 400);

    public static IResult Fail(int status, string error) => Results.Json(new { success = false, error }, statusCode: status);

    public static IResult NotFound() => Results.Json(new { detail = "Not found." }, statusCode: 404);

    /// <summary>UTF-8 as DRF's renderer writes it (ensure_ascii off).</summary>
    public static readonly JsonSerializerOptions Output = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Json(JsonNode? node, int status = 200) =>
        Results.Text(node?.ToJsonString(Output) ?? "null", "application/json; charset=utf-8", statusCode: status);

    public static IResult Created(object body) => Results.Json(body, statusCode: 201);

    /// <summary>A DRF PageNumberPagination page over an already filtered SQL query.</summary>
    public static async Task<IResult> PageAsync(HttpContext ctx, Data.Database db, string sql, string orderBy, params object?[] args)
    {
        var ct = ctx.RequestAborted;
        var page = int.TryParse(ctx.Request.Query["page"], out var p) ? p : 1;
        if (page < 1) return Results.Json(new { detail = "Invalid page." }, statusCode: 404);
        var count = await db.ScalarAsync<long>($"SELECT count(*) FROM ({sql}) c", ct, args);
        if (page > 1 && (page - 1) * PageSize >= count) return Results.Json(new { detail = "Invalid page." }, statusCode: 404);
        var rows = await db.RowsAsync($"SELECT * FROM ({sql}) x ORDER BY {orderBy} LIMIT {PageSize} OFFSET {(page - 1) * PageSize}", ct, args);
        string? Link(int n) => $"{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.Path}{WithPage(ctx.Request.Query, n)}";
        return Json(new JsonObject
        {
            ["count"] = count,
            ["next"] = page * PageSize < count ? Link(page + 1) : null,
            ["previous"] = page > 1 ? Link(page - 1) : null,
            ["results"] = rows,
        });
    }

    private static string WithPage(IQueryCollection query, int page)
    {
        var parts = query.Where(q => q.Key != "page").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}").ToList();
        if (page > 1) parts.Add($"page={page}");
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    public static bool Staff(PlatformUser u) => u.IsStaff;
}

/// <summary>A request body as DRF parses it: JSON, urlencoded form or multipart.</summary>
public sealed class Input
{
    private readonly Dictionary<string, JsonElement> _json = new(StringComparer.Ordinal);
    private readonly IFormCollection? _form;

    private Input(IFormCollection? form) => _form = form;

    public bool Valid { get; private init; } = true;
    public IFormFileCollection Files => _form?.Files ?? EmptyFiles.Instance;

    public static async Task<Input> ReadAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        if (request.HasFormContentType)
        {
            try { return new Input(await request.ReadFormAsync(ctx.RequestAborted)); }
            catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException) { return new Input(null) { Valid = false }; }
        }
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding")))
            return new Input(null);
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ctx.RequestAborted);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return new Input(null) { Valid = false };
            var input = new Input(null);
            foreach (var p in doc.RootElement.EnumerateObject()) input._json[p.Name] = p.Value.Clone();
            return input;
        }
        catch (JsonException) { return new Input(null) { Valid = false }; }
    }

    public bool Has(string name) => _json.ContainsKey(name) || (_form?.ContainsKey(name) ?? false);

    public string? Str(string name)
    {
        if (_json.TryGetValue(name, out var e))
            return e.ValueKind switch
            {
                JsonValueKind.String => e.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
                _ => null,
            };
        return _form is not null && _form.TryGetValue(name, out var v) ? v.ToString() : null;
    }

    public int? Int(string name) => int.TryParse(Str(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;

    public decimal? Dec(string name) => decimal.TryParse(Str(name), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;

    public bool? Bool(string name) => Str(name)?.ToLowerInvariant() switch
    {
        "true" or "1" or "on" => true,
        "false" or "0" or "off" => false,
        _ => null,
    };

    public DateTimeOffset? Date(string name) =>
        DateTimeOffset.TryParse(Str(name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d.ToUniversalTime() : null;

    /// <summary>A list of ids: a JSON array, a repeated form field, or a comma list.</summary>
    public List<int> Ints(string name)
    {
        if (_json.TryGetValue(name, out var e) && e.ValueKind == JsonValueKind.Array)
            return e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var i) ? i : int.TryParse(x.GetString(), out var j) ? j : 0).Where(i => i > 0).ToList();
        if (_form is not null && _form.TryGetValue(name, out var values))
            return values.SelectMany(v => (v ?? "").Split(',')).Select(v => int.TryParse(v, out var i) ? i : 0).Where(i => i > 0).ToList();
        return Int(name) is { } one ? [one] : [];
    }

    public IFormFile? File(string name) => _form?.Files.GetFile(name);

    private sealed class EmptyFiles : List<IFormFile>, IFormFileCollection
    {
        public static readonly EmptyFiles Instance = new();
        public IFormFile? this[string name] => null;
        public IFormFile? GetFile(string name) => null;
        public IReadOnlyList<IFormFile> GetFiles(string name) => [];
    }
}
