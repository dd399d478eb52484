using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Gate.Fixtures.Clients;
using Gate.Fixtures.Embedded;
using Gate.Fixtures.Operations;
using Gate.Fixtures.Settings;
using Xunit;

namespace Gate.SelfTests;

/// <summary>
/// OBS-009's staging path (GATE_SENTRY_API_TOKEN + GATE_SENTRY_ORG): the delivery look-up against
/// a local stand-in of Sentry's web API, which serves what docs.sentry.io documents for
/// "List a Project's Error Events" (GET /api/0/projects/{org}/{project}/events/, Bearer token,
/// a JSON array of events; errors as {"detail": ...}).
/// </summary>
public sealed class SentryApiTests
{
    private const string Org = "thebot", Token = "sntrys_gate_selftest_token_7f3a9c", Text = "Sentry test error";

    [Fact]
    public async Task An_event_listed_by_the_API_is_found()
    {
        await using var sentry = SentryApiStandIn.Start();
        var since = DateTimeOffset.UtcNow;
        sentry.Add("0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f", "InvalidOperationException: Sentry test error: an older run", since.AddHours(-1));
        sentry.Add("9fac2ceed9344f2bbfdd1fdacb0ed9b1", "InvalidOperationException: Sentry test error: deliberate exception from /api/test-sentry-error/", since.AddSeconds(1));

        var lookup = await SentryDelivery.WaitAsync(null, sentry.Dsn, Settings(), Text, since, TestContext.Current.CancellationToken, TimeSpan.FromSeconds(5));

        lookup.EventId.Should().Be("9fac2ceed9344f2bbfdd1fdacb0ed9b1", "the event of this run, not the older one");
        sentry.Requests.Should().NotBeEmpty().And.OnlyContain(r => r == $"GET /api/0/projects/{Org}/{SentryApiStandIn.Project}/events/?full=false Bearer {Token}");
    }

    [Fact]
    public async Task An_event_that_arrives_while_polling_is_found()
    {
        await using var sentry = SentryApiStandIn.Start();
        var since = DateTimeOffset.UtcNow;
        // Appears only after the first listing was answered, however slow the machine is to send it.
        sentry.AddAfterFirstListing("5b2c8f0e7d6a4b3c9e1f2a3b4c5d6e7f", "InvalidOperationException: Sentry test error");

        var lookup = await SentryDelivery.WaitAsync(null, sentry.Dsn, Settings(), Text, since, TestContext.Current.CancellationToken, TimeSpan.FromSeconds(10));

        lookup.EventId.Should().Be("5b2c8f0e7d6a4b3c9e1f2a3b4c5d6e7f");
        sentry.Requests.Count.Should().BeGreaterThan(1, "the first listing had no event yet");
    }

    [Fact]
    public async Task No_event_within_the_bound_is_a_clear_miss()
    {
        await using var sentry = SentryApiStandIn.Start();
        var since = DateTimeOffset.UtcNow;
        sentry.Add("0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f", "InvalidOperationException: Sentry test error: an older run", since.AddHours(-1));
        sentry.Add("1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d", "KeyError: 'user'", since.AddSeconds(1));
        var clock = Stopwatch.StartNew();

        var lookup = await SentryDelivery.WaitAsync(null, sentry.Dsn, Settings(), Text, since, TestContext.Current.CancellationToken, TimeSpan.FromSeconds(2));

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(6), "the look-up is bounded");
        lookup.EventId.Should().BeNull();
        lookup.Where.Should().Be($"Sentry's API {sentry.Api}projects/{Org}/{SentryApiStandIn.Project}/events/ listed 2 event(s) and none had '{Text}' in its title or message and was created after {since.AddSeconds(-5):u}, polled for 2 s");
    }

    [Theory]
    [InlineData(401, "not-the-token", Org, "GATE_SENTRY_API_TOKEN: ", "answered 401 \"Invalid token\": the token is not valid")]
    [InlineData(403, Token, "other-org", "GATE_SENTRY_API_TOKEN: ", "answered 403 \"You do not have permission to perform this action.\"")]
    [InlineData(404, Token, "no-such-org", "GATE_SENTRY_ORG: ", "answered 404 \"The requested resource does not exist\"")]
    public async Task A_refusal_is_one_line_naming_the_setting(int status, string token, string org, string setting, string says)
    {
        await using var sentry = SentryApiStandIn.Start();
        var settings = Settings(token, org);

        var act = () => SentryDelivery.WaitAsync(null, sentry.Dsn, settings, Text, DateTimeOffset.UtcNow, TestContext.Current.CancellationToken, TimeSpan.FromSeconds(5));

        var message = (await act.Should().ThrowAsync<ProbeException>()).Which.Message;
        sentry.Statuses.Should().Equal(status);
        message.Should().StartWith(setting).And.Contain(says).And.NotContain("\n").And.NotContain(token == Token ? Token : "not-the-token");
    }

    [Theory]
    [InlineData("https://abc@o4507.ingest.sentry.io/4507000000000001", "https://sentry.io/api/0/")]
    [InlineData("https://abc@o4507.ingest.de.sentry.io/4507000000000001", "https://de.sentry.io/api/0/")]
    [InlineData("https://abc@sentry.example.com/12", "https://sentry.example.com/api/0/")]
    [InlineData("https://abc@example.com:9000/sentry/12", "https://example.com:9000/sentry/api/0/")]
    public void The_API_base_comes_from_the_DSN(string dsn, string api) => SentryApi.ApiBase(new Uri(dsn)).ToString().Should().Be(api);

    private static GateSettings Settings(string token = Token, string org = Org) =>
        GateSettings.Load(new Dictionary<string, string> { [SettingNames.SentryApiToken] = token, [SettingNames.SentryOrg] = org });

    /// <summary>Sentry's web API, the one endpoint the gate calls, on 127.0.0.1 (HttpListener).</summary>
    private sealed class SentryApiStandIn : IAsyncDisposable
    {
        public const string Project = "4507000000000001";
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<object> _events = new();
        private readonly ConcurrentQueue<string> _requests = new();
        private readonly ConcurrentQueue<int> _statuses = new();
        private readonly Task _loop;

        private SentryApiStandIn(int port)
        {
            Api = new Uri($"http://127.0.0.1:{port}/api/0/");
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public Uri Api { get; }
        /// <summary>A DSN whose host is the stand-in (sentry.io's ingest host would map to sentry.io the same way).</summary>
        public string Dsn => $"http://0123456789abcdef0123456789abcdef@{Api.Authority}/{Project}";
        public IReadOnlyList<string> Requests => _requests.ToArray();
        public IReadOnlyList<int> Statuses => _statuses.Distinct().ToArray();

        public static SentryApiStandIn Start() => new(FreePort.OnLoopback());

        /// <summary>An error event as the list endpoint returns it (full=false).</summary>
        public void Add(string eventId, string title, DateTimeOffset created) => _events.Enqueue(new Dictionary<string, object?>
        {
            ["id"] = eventId, ["eventID"] = eventId, ["groupID"] = "1341191803", ["event.type"] = "error", ["platform"] = "csharp",
            ["title"] = title, ["message"] = "", ["dateCreated"] = created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
            ["tags"] = new[] { new { key = "environment", value = "production" }, new { key = "level", value = "error" } }, ["user"] = null,
        });

        private (string EventId, string Title)? _afterFirstListing;

        /// <summary>An event that Sentry has processed by the time the client asks a second time.</summary>
        public void AddAfterFirstListing(string eventId, string title) => _afterFirstListing = (eventId, title);

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                var auth = ctx.Request.Headers["Authorization"] ?? "";
                _requests.Enqueue($"{ctx.Request.HttpMethod} {ctx.Request.Url!.PathAndQuery} {auth}");
                var (status, body) = auth switch
                {
                    "" => (401, (object)new { detail = "Authentication credentials were not provided." }),
                    _ when auth != $"Bearer {Token}" => (401, new { detail = "Invalid token" }),
                    _ when ctx.Request.Url.AbsolutePath == $"/api/0/projects/other-org/{Project}/events/" => (403, new { detail = "You do not have permission to perform this action." }),
                    _ when ctx.Request.HttpMethod != "GET" || ctx.Request.Url.AbsolutePath != $"/api/0/projects/{Org}/{Project}/events/" => (404, new { detail = "The requested resource does not exist" }),
                    // Newest first, as Sentry lists them.
                    _ => (200, _events.Reverse().ToArray()),
                };
                _statuses.Enqueue(status);
                var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
                ctx.Response.StatusCode = status;
                ctx.Response.ContentType = "application/json";
                try { await ctx.Response.OutputStream.WriteAsync(bytes); ctx.Response.Close(); }
                catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException) { }
                if (status == 200 && _afterFirstListing is { } pending)
                {
                    _afterFirstListing = null;
                    Add(pending.EventId, pending.Title, DateTimeOffset.UtcNow);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _loop;
        }
    }
}
