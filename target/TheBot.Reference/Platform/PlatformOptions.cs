namespace TheBot.Reference.Platform;

/// <summary>
/// Start-up settings of the reference platform, read from THEBOT_* environment variables
/// (or --key=value arguments with the same names in lower case, e.g. --https-port=8443).
/// </summary>
public sealed record PlatformOptions
{
    public required string BindAddress { get; init; }
    public required int HttpsPort { get; init; }
    public required int HttpPort { get; init; }
    public required string DatabaseConnectionString { get; init; }
    public required string RedisConfiguration { get; init; }
    /// <summary>Folder where the per-run CA and server certificate are written as PEM.</summary>
    public required string CertificateDirectory { get; init; }
    public required string LogDirectory { get; init; }
    public required IReadOnlySet<string> AllowedHosts { get; init; }
    public required IReadOnlyList<string> CorsAllowedOrigins { get; init; }
    public required string SeedPassword { get; init; }
    public required FaultSet Faults { get; init; }

    public string PublicHttpsOrigin => HttpsPort == 443 ? $"https://{BindAddress}" : $"https://{BindAddress}:{HttpsPort}";

    public static PlatformOptions Load(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            var key = (string)e.Key;
            if (key.StartsWith("THEBOT_", StringComparison.Ordinal))
                values[key["THEBOT_".Length..].Replace('_', '-')] = (string?)e.Value ?? "";
        }
        foreach (var arg in args)
        {
            if (!arg.StartsWith("--", StringComparison.Ordinal)) continue;
            var eq = arg.IndexOf('=');
            if (eq > 2) values[arg[2..eq]] = arg[(eq + 1)..];
        }

        string Get(string key, string fallback) => values.TryGetValue(key, out var v) && v.Length > 0 ? v : fallback;
        int Port(string key, int fallback) =>
            int.TryParse(Get(key, fallback.ToString()), out var p) && p is > 0 and < 65536
                ? p
                : throw new ArgumentException($"THEBOT_{key.ToUpperInvariant().Replace('-', '_')} must be a TCP port number (1-65535).");

        var bind = Get("bind", "127.0.0.2");
        var httpsPort = Port("https-port", 8443);
        var origin = httpsPort == 443 ? $"https://{bind}" : $"https://{bind}:{httpsPort}";
        var root = Get("state-dir", Path.Combine(Path.GetTempPath(), "thebot-reference"));
        return new PlatformOptions
        {
            BindAddress = bind,
            HttpsPort = httpsPort,
            HttpPort = Port("http-port", 8080),
            DatabaseConnectionString = Get("database", "Host=127.0.0.1;Port=5432;Username=postgres;Database=thebot_prod"),
            RedisConfiguration = Get("redis", "127.0.0.1:6379"),
            CertificateDirectory = Get("cert-dir", Path.Combine(root, "tls")),
            LogDirectory = Get("log-dir", Path.Combine(root, "logs")),
            AllowedHosts = Get("allowed-hosts", $"{bind},localhost").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase),
            CorsAllowedOrigins = Get("cors-allowed-origins", origin).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            SeedPassword = Get("seed-password", "TestPass123!"),
            Faults = FaultSet.Parse(Get("faults", "")),
        };
    }
}
