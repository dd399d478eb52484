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
    public const string SlowHealth = "slow-health";
    public const string HealthBehindAuth = "health-behind-auth";
    public const string ErrorBurst = "error-burst";
    public const string FrontendBroken = "frontend-broken";
    public const string MigrationsPending = "migrations-pending";
    public const string AdminNotStaff = "admin-not-staff";

    // Environment faults: applied by the gate's launcher to PostgreSQL/Redis, declared here so the names are valid.
    public const string DbWithoutSsl = "db-without-ssl";
    public const string RedisWithoutPassword = "redis-without-password";
    public const string RedisWithoutPersistence = "redis-without-persistence";

    // Transport and TLS
    public const string NoHttpsRedirect = "no-https-redirect";
    public const string RedirectToOtherHost = "redirect-to-other-host";
    public const string NoHsts = "no-hsts";
    public const string ShortHsts = "short-hsts";
    public const string ExpiredCertificate = "expired-certificate";
    public const string HostnameMismatchCertificate = "hostname-mismatch-certificate";
    public const string WeakTls = "weak-tls";
    public const string NoTls13 = "no-tls13";
    public const string NoHttp2 = "no-http2";
    public const string WeakCertificateKey = "weak-certificate-key"; // (env + platform) RSA 1024 leaf; the launcher lowers the process's SECLEVEL so Kestrel loads it
    public const string Sha1CertificateSignature = "sha1-certificate-signature"; // (env + platform) leaf signed with SHA-1; same SECLEVEL note
    public const string DatabaseExposed = "database-exposed", NoForwardSecrecy = "no-forward-secrecy", EnvInGit = "env-in-git", EnvStagingValues = "env-staging-values"; // (env, security suite) applied by the gate's launcher
    public const string SshPasswordAuth = "ssh-password-auth", SshRootLogin = "ssh-root-login"; // (env, security suite) the launcher bends the target host's sshd_config

    // Headers, hosts, CORS, cookies, CSRF, debug
    public const string DebugMode = "debug-mode";
    public const string CorsWildcardWithCredentials = "cors-wildcard-with-credentials";
    public const string CorsReflectAnyOrigin = "cors-reflect-any-origin";
    public const string UnknownHostAccepted = "unknown-host-accepted";
    public const string MissingSecurityHeaders = "missing-security-headers";
    public const string ServerBanner = "server-banner";
    public const string InsecureCookies = "insecure-cookies";
    public const string CsrfOff = "csrf-off";

    // Application security (OWASP)
    public const string SqlInjection = "sql-injection";
    public const string ReflectedXss = "reflected-xss";
    public const string StoredXss = "stored-xss";
    public const string AuthBypass = "auth-bypass";
    public const string Idor = "idor";
    public const string RoleEscalation = "role-escalation";
    public const string RateLimitOff = "rate-limit-off";
    public const string UploadUnrestricted = "upload-unrestricted";
    public const string WebhookUnsignedAccepted = "webhook-unsigned-accepted";
    public const string SharedCacheLeak = "shared-cache-leak";
    public const string SecretInLogs = "secret-in-logs";
    public const string PaymentsNotConfigured = "payments-not-configured";

    // Observability
    public const string AuditLogMissing = "audit-log-missing";
    public const string PrometheusFamiliesMissing = "prometheus-families-missing";
    public const string MetricsAuthRequired = "metrics-auth-required";
    public const string SentryNotConfigured = "sentry-not-configured";

    // Operations artefacts
    public const string EnvInsecure = "env-insecure";
    public const string NginxInsecure = "nginx-insecure";
    public const string ComposeUnpinned = "compose-unpinned";
    public const string ComposeExposedDatabase = "compose-exposed-database";
    public const string ImageRootUser = "image-root-user";
    public const string ImageOversized = "image-oversized";
    public const string BackupStale = "backup-stale";
    public const string BackupCorrupt = "backup-corrupt";
    public const string VolumeBackupMissing = "volume-backup-missing";
    // Operations suite (tests/Operations): artefacts in Ops/, environment faults applied by the gate's launcher.
    public const string ImageSecretEnv = "image-secret-env";
    public const string ImageCriticalCve = "image-critical-cve";
    public const string ComposeIncomplete = "compose-incomplete";
    public const string ComposeInlineSecrets = "compose-inline-secrets";
    public const string NginxInvalid = "nginx-invalid";
    public const string PrometheusConfigWrong = "prometheus-config-wrong";
    public const string BackupOffsiteMissing = "backup-offsite-missing";
    public const string BackupScheduleMissing = "backup-schedule-missing";
    public const string StaticNotCollected = "static-not-collected";
    public const string LogRotationOff = "log-rotation-off";
    public const string DbAppSuperuser = "db-app-superuser";
    public const string RedisMemorySmall = "redis-memory-small";
    public const string MemoryLimitTooTight = "memory-limit-too-tight";
    public const string NginxProxyGaps = "nginx-proxy-gaps";
    public const string ImageLatestTag = "image-latest-tag";

    public static readonly IReadOnlySet<string> All = typeof(Fault)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);
}
