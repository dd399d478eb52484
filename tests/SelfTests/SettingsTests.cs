using FluentAssertions;
using Gate.Fixtures.Settings;
using Xunit;

namespace Gate.SelfTests;

/// <summary>Configuration is bound from GATE_* variables; every mistake is one line naming the variable.</summary>
public sealed class SettingsTests
{
    private static GateSettings Load(params (string Key, string Value)[] env) =>
        GateSettings.Load(env.ToDictionary(e => e.Key, e => e.Value));

    private static string ErrorOf(params (string Key, string Value)[] env)
    {
        var act = () => Load(env);
        return act.Should().Throw<GateConfigurationException>().Which.Message;
    }

    [Fact]
    public void No_target_means_the_embedded_default()
    {
        var settings = Load();

        settings.IsEmbedded.Should().BeTrue();
        settings.Timeout.Should().Be(TimeSpan.FromSeconds(10));
        settings.ResponseBudget.Should().Be(TimeSpan.FromSeconds(1));
        settings.Paths.Readiness.Should().Be("/api/system/readiness/");
        settings.Strict.Should().BeFalse();
        settings.AllowWrites.Should().BeFalse();
    }

    [Fact]
    public void A_base_URL_configures_a_target_and_derives_API_and_WebSocket_URLs()
    {
        var settings = Load(("GATE_BASE_URL", "https://thebot.example.com"));

        settings.IsEmbedded.Should().BeFalse();
        settings.ApiUrl.Should().Be(new Uri("https://thebot.example.com"));
        settings.WsUrl.Should().Be(new Uri("wss://thebot.example.com/ws"));
    }

    [Fact]
    public void The_platform_readiness_path_is_one_variable_away()
    {
        Load(("GATE_READINESS_PATH", "/api/system/health/ready/")).Paths.Readiness.Should().Be("/api/system/health/ready/");
    }

    [Theory]
    [InlineData("GATE_BASE_URL", "not-a-url", "GATE_BASE_URL: 'not-a-url' is not an absolute https or http URL")]
    [InlineData("GATE_BASE_URL", "ftp://thebot.example.com", "GATE_BASE_URL: 'ftp://thebot.example.com' is not an absolute https or http URL")]
    [InlineData("GATE_TIMEOUT_SECONDS", "ten", "GATE_TIMEOUT_SECONDS: 'ten' is not a whole number from 1 to 600")]
    [InlineData("GATE_STRICT", "maybe", "GATE_STRICT: 'maybe' is not true or false")]
    [InlineData("GATE_CA_FILE", "/no/such/ca.pem", "GATE_CA_FILE: no file at '/no/such/ca.pem'")]
    [InlineData("GATE_DATABASE_URL", "mysql://x@y/z", "GATE_DATABASE_URL: not a valid database URL")]
    [InlineData("GATE_REDIS_URL", "localhost:6379", "GATE_REDIS_URL: not a valid Redis URL")]
    [InlineData("GATE_READINESS_PATH", "api/ready", "GATE_READINESS_PATH: 'api/ready' must be a path starting with '/'")]
    [InlineData("GATE_BASEURL", "https://x", "GATE_BASEURL: unknown setting (did you mean GATE_BASE_URL?)")]
    public void A_bad_value_is_one_line_naming_the_variable(string variable, string value, string expected)
    {
        var message = ErrorOf((variable, value));

        message.Should().StartWith(expected);
        message.Should().NotContain("\n").And.NotContain("   at ");
    }

    [Fact]
    public void A_CA_file_that_is_not_PEM_is_refused()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "not a certificate");
        try
        {
            ErrorOf(("GATE_CA_FILE", file)).Should().Be($"GATE_CA_FILE: '{file}' holds no PEM certificate");
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Every_mistake_is_reported_at_once()
    {
        var message = ErrorOf(("GATE_BASE_URL", "nope"), ("GATE_TIMEOUT_SECONDS", "0"));

        message.Should().Contain("GATE_BASE_URL:").And.Contain("GATE_TIMEOUT_SECONDS:");
    }

    [Fact]
    public void Faults_apply_only_to_the_embedded_default()
    {
        ErrorOf(("GATE_BASE_URL", "https://thebot.example.com"), ("GATE_FAULTS", "no-hsts"))
            .Should().StartWith("GATE_FAULTS: applies only to the embedded default");
    }

    [Fact]
    public void Credentials_come_from_variables_or_a_file_and_never_print_the_password()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "# staging accounts\nGATE_TEACHER_EMAIL=teacher@staging\nGATE_TEACHER_PASSWORD=\"s3cret-teacher\"\nGATE_ADMIN_EMAIL=ignored@file\n");
        try
        {
            var settings = Load(("GATE_CREDENTIALS_FILE", file), ("GATE_ADMIN_EMAIL", "admin@staging"), ("GATE_ADMIN_PASSWORD", "s3cret-admin"));

            settings.Credentials.For("teacher").Should().Be(new Credential("teacher@staging", "s3cret-teacher"));
            settings.Credentials.For("admin")!.Login.Should().Be("admin@staging", "an explicit variable wins over the file");
            settings.Credentials.For("admin")!.ToString().Should().NotContain("s3cret");
            settings.Credentials.For("parent").Should().BeNull();
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void A_malformed_credentials_file_line_is_reported_with_its_number()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "GATE_TEACHER_EMAIL=t@x\nteacher password\n");
        try
        {
            ErrorOf(("GATE_CREDENTIALS_FILE", file)).Should().Contain("line 2 of");
        }
        finally { File.Delete(file); }
    }

    private static void WithFile(string content, Action<string> test)
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, content);
        try { test(file); }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Load_accounts_come_from_a_CSV_file_and_never_print_passwords_or_tokens()
    {
        WithFile("""
            # load-test accounts for staging
            email,password,token
            load1@staging,s3cret-one
            "load2@staging","pa,ss""word"
            load3@staging,,0123456789abcdef0123456789abcdef01234567
               
            load4@staging,semi;colon|pipe
            """, file =>
        {
            var accounts = Load(("GATE_LOAD_ACCOUNTS", file)).LoadAccounts;

            accounts.Should().Equal(
                new LoadAccount("load1@staging", "s3cret-one", null),
                new LoadAccount("load2@staging", "pa,ss\"word", null),
                new LoadAccount("load3@staging", null, "0123456789abcdef0123456789abcdef01234567"),
                new LoadAccount("load4@staging", "semi;colon|pipe", null));
            string.Join(" ", accounts).Should().NotContain("s3cret").And.NotContain("pa,ss").And.NotContain("0123456789abcdef");
        });
    }

    [Fact]
    public void Without_a_load_accounts_file_the_pool_is_empty()
    {
        Load().LoadAccounts.Should().BeEmpty();
    }

    [Theory]
    [InlineData("load1@x,pw\nload2@x\n", "line 2 of '{0}' is not email,password or email,password,token (passwords and tokens are not shown)")]
    [InlineData("load1@x,pw,t0ken-secret,extra\n", "line 1 of '{0}' is not email,password or email,password,token")]
    [InlineData("load1@x,\"unterminated\n", "line 1 of '{0}' has an unterminated quote")]
    [InlineData("# pool\nload1@x,pw\nload2@x,\"pw\"2\nload3@x,pw3\n", "line 3 of '{0}' has a misplaced quote")]
    [InlineData("load1@x,pw\nLOAD1@x,pw2\n", "line 2 of '{0}' repeats the account LOAD1@x: THE_BOT keeps one token per user")]
    [InlineData("# nothing\nemail,password\n", "'{0}' lists no account")]
    public void A_malformed_load_accounts_file_is_one_line_naming_the_setting_and_the_line(string content, string expected)
    {
        WithFile(content, file =>
        {
            var message = ErrorOf(("GATE_LOAD_ACCOUNTS", file));

            message.Should().StartWith("GATE_LOAD_ACCOUNTS: " + string.Format(expected, file));
            message.Should().NotContain("\n").And.NotContain("pw2").And.NotContain("t0ken-secret");
        });
    }

    [Fact]
    public void A_missing_load_accounts_file_names_the_setting()
    {
        ErrorOf(("GATE_LOAD_ACCOUNTS", "/no/such/accounts.csv")).Should().Be("GATE_LOAD_ACCOUNTS: no file at '/no/such/accounts.csv'");
    }

    [Theory]
    [InlineData("redis://:pw@cache:6379/0", null, "pw", false)]
    [InlineData("redis://default:pw@cache:6379/0", null, "pw", false)]
    [InlineData("rediss://app:pw@cache:6380/2", "app", "pw", true)]
    public void Redis_URLs_of_every_form_are_understood(string url, string? user, string password, bool tls)
    {
        var redis = RedisUrl.Parse(url);

        (redis.User, redis.Password, redis.Tls).Should().Be((user, password, tls));
        redis.ToString().Should().NotContain(password);
    }

    [Fact]
    public void A_database_URL_keeps_its_ssl_mode_and_caps_the_connect_timeout()
    {
        var db = DatabaseUrl.Parse("postgresql://app:p%40ss@db.internal:5433/thebot_prod?sslmode=verify-full&connect_timeout=60", 10);

        db.Should().Be(new DatabaseUrl("db.internal", 5433, "thebot_prod", "app", "p@ss", "verify-full", 10));
        db.ToString().Should().Be("postgresql://app@db.internal:5433/thebot_prod?sslmode=verify-full");
    }
}
