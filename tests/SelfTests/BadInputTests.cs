using System.Net;
using FluentAssertions;
using Gate.Fixtures.Checks;
using Gate.Fixtures.Embedded;
using Xunit;

namespace Gate.SelfTests;

/// <summary>
/// Configuration mistakes give one clear line naming the setting, within the timeout, for every
/// check; an unreachable target fails every smoke check quickly instead of hanging.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class BadInputTests(EmbeddedPlatformFixture platform)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_malformed_URL_fails_every_check_with_one_line_naming_the_variable()
    {
        var run = await SuiteRunner.RunAsync("Smoke", new Dictionary<string, string?> { ["GATE_BASE_URL"] = "not-a-url" }, ct: Ct);

        run.Outcomes.Should().NotBeEmpty().And.OnlyContain(o => o.Failed);
        run.Outcomes.Select(o => o.Message).Distinct().Should().ContainSingle()
            .Which.Should().Be("GATE_BASE_URL: 'not-a-url' is not an absolute https or http URL (example: https://thebot.example.com)");
    }

    [Fact]
    public async Task An_unknown_CA_file_fails_every_check_naming_the_variable()
    {
        var run = await SuiteRunner.RunAsync("Smoke", new Dictionary<string, string?>
        {
            ["GATE_BASE_URL"] = "https://thebot.example.com",
            ["GATE_CA_FILE"] = "/no/such/staging-ca.pem",
        }, ct: Ct);

        run.Outcomes.Should().NotBeEmpty().And.OnlyContain(o => o.Failed && o.Message == "GATE_CA_FILE: no file at '/no/such/staging-ca.pem'");
    }

    [Fact]
    public async Task A_closed_port_fails_every_smoke_check_quickly_with_clear_lines()
    {
        var port = FreePort.On(IPAddress.Loopback);
        var run = await SuiteRunner.RunAsync("Smoke", new Dictionary<string, string?>
        {
            ["GATE_BASE_URL"] = $"https://127.0.0.1:{port}",
            ["GATE_DATABASE_URL"] = $"postgresql://app:pw@127.0.0.1:{port}/thebot_prod?sslmode=require",
            ["GATE_REDIS_URL"] = $"redis://:pw@127.0.0.1:{port}/0",
            ["GATE_STUDENT_EMAIL"] = "student@test.com", ["GATE_STUDENT_PASSWORD"] = "x",
            ["GATE_ADMIN_EMAIL"] = "admin@test.com", ["GATE_ADMIN_PASSWORD"] = "x",
        }, timeout: TimeSpan.FromSeconds(90), ct: Ct);

        run.Outcomes.Should().HaveCount((await SuiteRunner.ListAsync("Smoke")).Count, "every smoke check runs").And.OnlyContain(o => o.Failed, "nothing answers on that port");
        run.Outcomes.Should().OnlyContain(o => o.Message.Contains($"connection refused by 127.0.0.1:{port}"), "each line names the refused endpoint");
        run.Outcomes.Should().OnlyContain(o => o.Message.Contains("GATE_"), "each line names the setting to look at");
        TestContext.Current.TestOutputHelper?.WriteLine($"closed port: {run.Outcomes.Count} checks failed in {run.Elapsed.TotalSeconds:F1} s (process included)");
    }

    [Fact]
    public async Task A_wrong_database_password_names_the_variable_and_the_cause()
    {
        var vars = platform.TargetVariables();
        vars["GATE_DATABASE_URL"] = vars["GATE_DATABASE_URL"]!.Replace(platform.Environment.Settings.Database!.Password, "wrong-password");

        var run = await SuiteRunner.RunAsync("Smoke", vars, checks: ["SMK-003", "SMK-010", "SMK-011", "SMK-012"], ct: Ct);

        run.Outcomes.Should().HaveCount(4).And.OnlyContain(o => o.Failed);
        run.Outcomes.Should().OnlyContain(o => o.Message.StartsWith("GATE_DATABASE_URL (postgresql://thebot@") && o.Message.EndsWith("password authentication failed for user 'thebot'"));
        run.Output.Should().NotContain("wrong-password", "passwords never reach output");
    }

    [Fact]
    public async Task Wrong_role_credentials_name_the_variables()
    {
        var vars = platform.TargetVariables();
        vars["GATE_STUDENT_PASSWORD"] = "not-the-password";

        var run = await SuiteRunner.RunAsync("Smoke", vars, checks: ["SMK-002"], ct: Ct);

        run.Outcomes.Should().ContainSingle().Which.Message.Should()
            .StartWith("GATE_STUDENT_EMAIL/GATE_STUDENT_PASSWORD: sign-in as student@test.com").And.EndWith("the platform refused the credentials (401)");
    }

    [Fact]
    public async Task A_missing_input_skips_with_its_reason_and_strict_mode_fails_it()
    {
        var vars = platform.TargetVariables();
        vars.Remove("GATE_DATABASE_URL");

        var relaxed = await SuiteRunner.RunAsync("Smoke", vars, checks: ["SMK-003"], ct: Ct);
        vars["GATE_STRICT"] = "true";
        var strict = await SuiteRunner.RunAsync("Smoke", vars, checks: ["SMK-003"], ct: Ct);

        relaxed.Outcomes.Should().ContainSingle().Which.Should().Match<CheckOutcome>(o => o.Result == "Skip" && o.Message == "no database URL configured (GATE_DATABASE_URL)");
        strict.Outcomes.Should().ContainSingle().Which.Should().Match<CheckOutcome>(o => o.Failed && o.Message == Require.StrictPrefix + "no database URL configured (GATE_DATABASE_URL)");
    }

    [Fact]
    public async Task A_load_pool_too_small_for_the_profile_skips_naming_GATE_LOAD_ACCOUNTS_and_the_accounts_needed()
    {
        Assert.SkipUnless(SuiteRunner.BuiltSuites.Contains("Load"), "suite Load not built");
        var vars = platform.TargetVariables();
        // 60 users / 3 s think = 20 role-mix iterations/s x 3 signed-in requests: 10 accounts at 6/s each; six role accounts are too few.
        vars["GATE_LOAD_PROFILE"] = "staging:users=60,think=3s";
        const string demand = "load scenario 'role-mix' at 20 iterations/s with 3 signed-in request(s) each needs 10 accounts to keep every account under 6 of THE_BOT's 10 requests/s per account";

        var roles = await SuiteRunner.RunAsync("Load", vars, checks: ["LOAD-002"], ct: Ct);
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "email,password\nload-a@staging,pw-a\nload-b@staging,pw-b\nload-c@staging,pw-c\n");
        vars["GATE_LOAD_ACCOUNTS"] = file;
        vars["GATE_STRICT"] = "true";
        SuiteRun strict;
        try { strict = await SuiteRunner.RunAsync("Load", vars, checks: ["LOAD-002"], ct: Ct); }
        finally { File.Delete(file); }

        roles.Outcomes.Should().ContainSingle().Which.Should().Match<CheckOutcome>(o => o.Result == "Skip"
            && o.Message == demand + "; without GATE_LOAD_ACCOUNTS the pool is the role accounts, and 6 of 6 are configured (student, student2, teacher, teacher2, tutor, parent): set GATE_LOAD_ACCOUNTS to a file of at least 10 load-test accounts");
        strict.Outcomes.Should().ContainSingle().Which.Should().Match<CheckOutcome>(o => o.Failed
            && o.Message == Require.StrictPrefix + demand + ", but GATE_LOAD_ACCOUNTS lists 3: list at least 10 load-test accounts there");
        strict.Output.Should().NotContain("pw-a", "load-account passwords never reach output");
    }

    [Fact]
    public async Task A_configured_target_passes_the_smoke_suite_like_the_embedded_default()
    {
        var run = await SuiteRunner.RunAsync("Smoke", platform.TargetVariables(), ct: Ct);

        run.Outcomes.Where(o => !o.Passed).Select(o => $"{o.DisplayName}: {o.Message}").Should().BeEmpty();
        run.Outcomes.Should().HaveCount((await SuiteRunner.ListAsync("Smoke")).Count);
    }
}
