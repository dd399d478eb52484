using FluentAssertions;
using Gate.Fixtures.Reporting;
using Xunit;

namespace Gate.SelfTests;

public sealed class RedactorTests
{
    [Fact]
    public void Known_secrets_token_shapes_and_URL_passwords_never_reach_output()
    {
        Redactor.AddSecret("hunter2-very-secret");

        var text = Redactor.Redact("password hunter2-very-secret, token 0123456789abcdef0123456789abcdef01234567, db postgresql://app:pa55@db:5432/x");

        text.Should().NotContain("hunter2").And.NotContain("0123456789abcdef").And.NotContain("pa55");
        text.Should().Contain("postgresql://app:***@db:5432/x");
    }
}
