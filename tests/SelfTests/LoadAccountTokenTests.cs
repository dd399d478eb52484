using FluentAssertions;
using Gate.Fixtures;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Settings;
using Xunit;

namespace Gate.SelfTests;

/// <summary>
/// GATE_LOAD_ACCOUNTS' third column against a live platform: a token made beforehand signs the
/// account in without a login (so a large pool is not paced by the login throttle), and a token a
/// later login replaced is one line naming the setting. Uses the tutor account, which the
/// self tests in this collection do not otherwise hold a token for.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class LoadAccountTokenTests(EmbeddedPlatformFixture platform)
{
    private ApiClient NewApi()
    {
        var s = platform.Environment.Settings;
        return new ApiClient(s.ApiUrl!, new TlsTrust(s.CaFile), s.Timeout, SettingNames.ApiUrl);
    }

    private async Task<string> SignInAsync(ApiClient api, Credential tutor)
    {
        var login = await api.PostJsonAsync("/api/auth/login/", new { email = tutor.Login, password = tutor.Password }, ct: TestContext.Current.CancellationToken);
        login.Status.Should().Be(200, login.Describe());
        return login.JsonString("data", "token")!;
    }

    [Fact]
    public async Task A_pool_token_signs_the_account_in_without_a_login_and_a_replaced_one_is_named()
    {
        using var api = NewApi();
        var tutor = platform.Environment.Settings.Credentials.For("tutor")!;
        var token = await SignInAsync(api, tutor);

        var session = await new Sessions(api, RoleCredentials.From(_ => null))
            .ForLoadAccountAsync(new LoadAccount(tutor.Login, Password: null, token), TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        session.Token.Should().Be(token, "the given token is used as it is, not replaced by a login");
        session.UserId.Should().BePositive("GET /api/auth/me/ identified the account");
        (await api.GetAsync("/api/auth/me/", token, ct: TestContext.Current.CancellationToken)).Status.Should().Be(200, "no login replaced the token");

        await SignInAsync(api, tutor); // a later login replaces the pool's token (one token per user)
        var stale = () => new Sessions(api, RoleCredentials.From(_ => null))
            .ForLoadAccountAsync(new LoadAccount(tutor.Login, Password: null, token), TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        (await stale.Should().ThrowAsync<ProbeException>()).Which.Message
            .Should().StartWith($"{SettingNames.LoadAccounts}: the token given for {tutor.Login} does not sign in")
            .And.Contain("(401)").And.NotContain(token);
    }
}
