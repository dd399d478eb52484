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
    /// <summary>Root of the run's state: media uploads, ops artefacts (unless OpsDirectory is set).</summary>
    public required string StateDirectory { get; init; }
    public required string MediaDirectory { get; init; }
    public required string OpsDirectory { get; init; }
    /// <summary>Django's SECRET_KEY: generated per run (50+ random chars) unless THEBOT_SECRET_KEY is set.</summary>
    public required string SecretKey { get; init; }
    public required string Environment { get; init; }
    public required string SentryDsn { get; init; }
    public required string YooKassaShopId { get; init; }
    public required string YooKassaSecretKey { get; init; }
    /// <summary>Accept webhooks from 127.0.0.0/8 and ::1 besides YooKassa's ranges (a local gate only).</summary>
    public required bool WebhookAllowLoopback { get; init; }
    /// <summary>The fixed server delay of the slow-api fault.</summary>
    public required int SlowApiMilliseconds { get; init; }
    /// <summary>Global burst throttle (requests per second per user or address); the contract says 10.</summary>
    public required int BurstPerSecond { get; init; }
    /// <summary>
    /// Synthetic load-test accounts to seed (THEBOT_LOAD_USERS, default 0): load-0001@load.test ...,
    /// students and teachers alternately, with the seed password. The gate's launcher asks for them
    /// for its load suite, whose virtual users need many accounts under the burst throttle.
    /// </summary>
    public int LoadUsers { get; init; }
    /// <summary>Optional: write the ops artefacts into this folder and exit (no server).</summary>
    public string? WriteOpsArtefactsOnly { get; init; }

    public IEnumerable<string> TrustedOrigins => CorsAllowedOrigins.Append(PublicHttpsOrigin).Distinct(StringComparer.OrdinalIgnoreCase);

    public string PublicHttpsOrigin => HttpsPort == 443 ? $"https://{BindAddress}" : $"https://{BindAddress}:{HttpsPort}";

    public static PlatformOptions Load(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
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
        var faults = FaultSet.Parse(Get("faults", ""));
        // Without explicit shop credentials payments answer configuration_error (contract §4); the
        // gate's launcher passes a sandbox pair. payments-not-configured clears even explicit ones.
        var noPayments = faults.Has(Fault.PaymentsNotConfigured);
        bool Flag(string key) => Get(key, "false").ToLowerInvariant() is "1" or "true" or "yes" or "on";
        var options = new PlatformOptions
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
            Faults = faults,
            StateDirectory = root,
            MediaDirectory = Get("media-dir", Path.Combine(root, "media")),
            OpsDirectory = Get("ops-dir", Path.Combine(root, "ops")),
            SecretKey = Get("secret-key", GenerateSecretKey()),
            Environment = Get("environment", "production"),
            SentryDsn = Get("sentry-dsn", ""),
            YooKassaShopId = noPayments ? "" : Get("yookassa-shop-id", ""),
            YooKassaSecretKey = noPayments ? "" : Get("yookassa-secret-key", ""),
            WebhookAllowLoopback = Flag("webhook-allow-loopback"),
            SlowApiMilliseconds = int.TryParse(Get("slow-api-ms", "600"), out var slow) && slow >= 0 ? slow : 600,
            BurstPerSecond = int.TryParse(Get("burst-rate", "10"), out var burst) && burst > 0 ? burst : 10,
            LoadUsers = int.TryParse(Get("load-users", "0"), out var loadUsers) && loadUsers is >= 0 and <= 10_000 ? loadUsers
                : throw new ArgumentException("THEBOT_LOAD_USERS must be a whole number from 0 to 10000."),
            WriteOpsArtefactsOnly = values.TryGetValue("write-ops-artefacts", out var ops) && ops.Length > 0 ? ops : null,
        };
        // settings.py's production start-up refusals (contract §7); DEBUG=True (debug-mode) skips them, as Django does.
        if (!faults.Has(Fault.DebugMode)) RefuseInsecure(options);
        return options;
    }

    private static void RefuseInsecure(PlatformOptions o)
    {
        if (o.SecretKey.Length < 50 || o.SecretKey.Distinct().Count() < 5 || o.SecretKey.StartsWith("django-insecure-", StringComparison.Ordinal))
            throw new ArgumentException("THEBOT_SECRET_KEY must have 50+ characters, 5+ distinct ones and no django-insecure- prefix when DEBUG is off.");
        if (o.Environment != "production")
            throw new ArgumentException($"THEBOT_ENVIRONMENT is '{o.Environment}': only 'production' may run with DEBUG off.");
        if (o.AllowedHosts.Count == 0 || o.AllowedHosts.Contains("*"))
            throw new ArgumentException("THEBOT_ALLOWED_HOSTS must list host names (not empty, not *).");
        if (o.CorsAllowedOrigins.Count == 0 || o.CorsAllowedOrigins.Any(c => c == "*" || c.Contains("localhost", StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException("THEBOT_CORS_ALLOWED_ORIGINS must list the frontend origin(s), without * or localhost.");
    }

    /// <summary>As Django's get_random_secret_key: 50 characters from a 50-symbol alphabet.</summary>
    public static string GenerateSecretKey() =>
        System.Security.Cryptography.RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)", 50);
}
