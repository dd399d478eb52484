using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Reporting;
using Gate.Fixtures.Security;
using Gate.Fixtures.Settings;
using Xunit;

namespace Gate.Security;

/// <summary>
/// Checklist 1.1, 1.4, 1.5, 4.1 and 11.3 on the production .env (GATE_ENV_FILE): Django's check
/// --deploy rules on the resolved settings, plus the checklist's own (URLs, CORS, keys, file mode, git).
/// Values are never printed: only their names and what is wrong with them.
/// </summary>
public sealed class ConfigurationChecks(GateEnvironment environment, SecurityKit kit) : SecurityCheck(environment, kit)
{
    private EnvFile Env => EnvFile.Read(Require.Value(Input(SettingNames.EnvFile), "no .env file given (GATE_ENV_FILE)"));

    [Check("CFG-001", "1.1, 4.1", Severity = Severity.Critical)]
    public void SECRET_KEY_passes_Djangos_W009_rule()
    {
        var env = Env;
        Evidence.Record("env_file", env.Path);
        Evidence.Record("Django signing value: length", env["SECRET_KEY"]?.Length ?? 0);
        Evidence.Record("Django signing value: distinct characters", env["SECRET_KEY"]?.Distinct().Count() ?? 0);

        EnvFile.SecretKeyProblems(env["SECRET_KEY"]).Should().BeEmpty($"SECRET_KEY in {env.Path} must have 50+ characters, 5+ distinct ones and no 'django-insecure-' prefix (Django security.W009)");
    }

    [Check("CFG-002", "1.1, 4.1", Severity = Severity.Critical)]
    public void SECRET_KEY_is_not_a_placeholder()
    {
        var env = Env;

        EnvFile.IsPlaceholder(env["SECRET_KEY"]).Should().BeFalse($"SECRET_KEY in {env.Path} is a template value (<generated-key>, change-me ...): generate one with get_random_secret_key()");
        (env["SECRET_KEY"] ?? "").Should().NotContainEquivalentOf("change-me", $"SECRET_KEY in {env.Path} must not contain a placeholder word");
    }

    [Check("CFG-003", "4.1", Severity = Severity.Critical)]
    public void DEBUG_is_False()
    {
        var env = Env;

        (env["DEBUG"] ?? "False").Trim().ToLowerInvariant().Should().BeOneOf(["false", "0", "no", "off"], $"DEBUG in {env.Path} must be False in production (Django security.W018), found '{env["DEBUG"]}'");
    }

    [Check("CFG-004", "4.1", Severity = Severity.High)]
    public void ENVIRONMENT_is_production()
    {
        var env = Env;

        env["ENVIRONMENT"].Should().Be("production", $"ENVIRONMENT in {env.Path} selects production settings and Sentry sampling");
    }

    [Check("CFG-005", "1.4, 4.1", Severity = Severity.High)]
    public void ALLOWED_HOSTS_is_set_without_a_wildcard()
    {
        var env = Env;

        var hosts = (env["ALLOWED_HOSTS"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Evidence.Record("allowed_hosts", string.Join(",", hosts));

        hosts.Should().NotBeEmpty($"ALLOWED_HOSTS in {env.Path} must list the site's host names (Django security.W020)");
        var wildcardOrDevelopmentHosts = hosts.Where(h => h.Contains('*') || h == "." || h.StartsWith("localhost", StringComparison.Ordinal) || h.StartsWith("127.", StringComparison.Ordinal));
        wildcardOrDevelopmentHosts.Should().BeEmpty($"ALLOWED_HOSTS in {env.Path} must not accept any host ('*') or development hosts");
    }

    [Check("CFG-006", "1.4, 4.1", Severity = Severity.High)]
    public void FRONTEND_URL_and_API_URL_are_https_and_WS_URL_is_wss()
    {
        var env = Env;

        var wrong = new[] { ("FRONTEND_URL", "https"), ("API_URL", "https"), ("WS_URL", "wss") }
            .Where(u => !Uri.TryCreate(env[u.Item1], UriKind.Absolute, out var url) || url.Scheme != u.Item2 || url.IsLoopback || url.Host == "localhost")
            .Select(u => $"{u.Item1} must be an absolute {u.Item2}:// URL of the public host (found '{env[u.Item1] ?? "(unset)"}')").ToList();

        wrong.Should().BeEmpty($"the public URLs in {env.Path} must be encrypted");
    }

    [Check("CFG-007", "1.5, 4.1", Severity = Severity.High)]
    public void CORS_ALLOWED_ORIGINS_are_https_origins_without_a_wildcard()
    {
        var env = Env;

        var origins = (env["CORS_ALLOWED_ORIGINS"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        origins.Should().NotBeEmpty($"CORS_ALLOWED_ORIGINS in {env.Path} must list the frontend origin(s)");
        var unacceptableOrigins = origins.Where(o => o.Contains('*') || !Uri.TryCreate(o, UriKind.Absolute, out var u) || u.Scheme != "https" || u.IsLoopback || u.Host == "localhost" || u.AbsolutePath != "/");
        unacceptableOrigins.Should().BeEmpty($"every origin in CORS_ALLOWED_ORIGINS of {env.Path} must be an https frontend origin (no '*', no http, no localhost)");
    }

    [Check("CFG-008", "1.2, 4.1, 11.2", Severity = Severity.High)]
    public void DB_SSLMODE_is_require_or_stricter()
    {
        var env = Env;

        var mode = env["DB_SSLMODE"] ?? (Uri.TryCreate(env["DATABASE_URL"], UriKind.Absolute, out var db) ? System.Web.HttpUtility.ParseQueryString(db.Query)["sslmode"] : null);

        mode.Should().BeOneOf(["require", "verify-ca", "verify-full"], $"DB_SSLMODE (or DATABASE_URL ?sslmode=) in {env.Path} must be require, verify-ca or verify-full, found '{mode ?? "(unset)"}'");
    }

    [Check("CFG-009", "1.3, 4.1, 11.2", Severity = Severity.High)]
    public void REDIS_URL_carries_a_password()
    {
        var env = Env;

        var password = Uri.TryCreate(env["REDIS_URL"], UriKind.Absolute, out var url) ? url.UserInfo.Split(':', 2).ElementAtOrDefault(1) : null;

        password.Should().NotBeNullOrEmpty($"REDIS_URL in {env.Path} must authenticate (redis://:<password>@host:6379/0)");
        EnvFile.IsPlaceholder(Uri.UnescapeDataString(password!)).Should().BeFalse($"the password in REDIS_URL of {env.Path} is the checklist's placeholder");
    }

    public static TheoryData<string> ServiceKeys() => new(EnvFile.ServiceKeys);

    [CheckTheory("CFG-010", "4.1, 11.3", Severity = Severity.High)]
    [MemberData(nameof(ServiceKeys))]
    public void External_service_key_is_present_and_not_a_placeholder(string key)
    {
        var env = Env;

        env[key].Should().NotBeNullOrWhiteSpace($"{key} must be set in {env.Path}");
        EnvFile.IsPlaceholder(env[key]).Should().BeFalse($"{key} in {env.Path} is a template value (<actual-...>, change-me ...): put the real key there (or in the secrets manager)");
        // The report masks evidence named like a secret; the label says which service, the value only that it is configured.
        Evidence.Record(System.Text.RegularExpressions.Regex.Replace(key, "_?(SECRET_KEY|API_KEY|API_TOKEN|TOKEN|PASSWORD|DSN|KEY)$", " credential").Replace('_', ' ').ToLowerInvariant(), "configured");
    }

    [Check("CFG-011", "4.1", Severity = Severity.High)]
    public void Env_file_mode_is_600()
    {
        var env = Env;

        var mode = env.ModeOctal();

        Evidence.Record("mode", mode);
        env.ReadableByOthers().Should().BeFalse($"{env.Path} has mode {mode}: group and others must have no access (chmod 600 .env)");
    }

    [Check("CFG-012", "4.1", Severity = Severity.Critical, Required = false)]
    public void Env_file_is_not_tracked_by_git()
    {
        var env = Env;
        var repository = Require.Value(Input(SettingNames.EnvRepo), "no repository given (GATE_ENV_REPO): cannot tell whether git tracks the .env");

        var tracked = env.TrackedIn(repository);

        tracked.Should().BeNull($"{env.Path} must not be in version control (checklist 4.1): {tracked}");
    }
}
