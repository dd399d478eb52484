using FluentAssertions;
using Gate.Cli.Render;
using Gate.Cli.SignOff;
using Xunit;

namespace Gate.SignOff.Tests;

public class RedactionTests
{
    [Theory]
    [InlineData("SECRET_KEY")]
    [InlineData("redis_password")]
    [InlineData("auth_token")]
    [InlineData("private_key_path")]
    [InlineData("sentry_dsn")]
    [InlineData("DSN")]
    public void Values_of_secret_looking_keys_are_masked(string key) =>
        Redact.EvidenceValue(key, "hunter2").Should().Be(Redact.Mask);

    [Fact]
    public void Forty_hex_tokens_and_url_passwords_are_masked_in_text()
    {
        Redact.Text("token 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b found").Should().Be("token [REDACTED] found");
        Redact.Text("redis://:s3cr3t@10.0.0.7:6379/0 and postgresql://app:pw@db:5432/x").Should()
            .Be("redis://:[REDACTED]@10.0.0.7:6379/0 and postgresql://app:[REDACTED]@db:5432/x");
        Redact.Text("a 41-hex 9f86d081884c7d659a2feaa0c55ad015a3bf4f1bf is not a token").Should().Contain("9f86d0");
    }

    [Fact]
    public void No_secret_of_the_fixture_reaches_any_report()
    {
        var report = TestData.Build(TestData.Mixed, TestData.Waivers("mixed"));
        var outDir = Path.Combine(TestData.Mixed, "signoff");
        var all = string.Join("\n",
            MarkdownReport.Render(report, outDir),
            MarkdownReport.Render(report, outDir, summaryOnly: true),
            HtmlReport.Render(report, outDir),
            JUnitReport.Render(report).ToString(),
            ConsoleTable.Render(report, color: false),
            Gate.Cli.Commands.ReportCommand.Json(report));

        all.Should().NotContain("s3cr3t-pa55").And.NotContain("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b")
            .And.NotContain("tok-123").And.NotContain("abc@o1.ingest.sentry.io").And.NotContain("privkey.pem");
        all.Should().Contain(Redact.Mask);
    }
}
