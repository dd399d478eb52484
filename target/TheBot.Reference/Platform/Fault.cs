namespace TheBot.Reference.Platform;

/// <summary>
/// Every fault the reference platform can switch on. Documented in target/FAULTS.md with the
/// checklist item it breaks and the checks that must catch it.
/// </summary>
public static class Fault
{
    // Health and dependencies
    public const string ReadinessLies = "readiness-lies";
    public const string WebSocketBroken = "websocket-broken";
    public const string SlowApi = "slow-api";
    public const string ErrorBurst = "error-burst";
    public const string DbWithoutSsl = "db-without-ssl";
    public const string RedisWithoutPassword = "redis-without-password";
    public const string RedisWithoutPersistence = "redis-without-persistence";
    public const string FrontendBroken = "frontend-broken";
    public const string NoHttpsRedirect = "no-https-redirect";
    public const string MigrationsPending = "migrations-pending";

    public static readonly IReadOnlySet<string> All = typeof(Fault)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);
}
