using System.Net.Sockets;
using System.Text;
using FluentAssertions;
using Gate.Fixtures.Embedded;
using Gate.Fixtures.Operations;
using Xunit;

namespace Gate.SelfTests;

/// <summary>
/// The image checks' Docker-engine path (GATE_IMAGES), driven through the real `docker` CLI against
/// a stand-in engine on a unix socket that answers the Engine API calls the CLI makes (`/_ping`,
/// `/version`, `/images/{name}/json`). No Docker engine runs on these machines; this proves the
/// CLI invocation, engine detection, parsing and error reporting end to end.
/// </summary>
public sealed class DockerEngineTests : IAsyncLifetime
{
    private const string Backend = "registry.example.com/thebot-backend:1.0.0";
    private readonly string _socket = Path.Combine(Path.GetTempPath(), $"gate-docker-{Guid.NewGuid():N}.sock");
    private StandInEngine? _engine;

    private Dictionary<string, string> DockerHost => new() { ["DOCKER_HOST"] = $"unix://{_socket}", ["DOCKER_CONFIG"] = Path.GetTempPath() };

    public ValueTask InitializeAsync()
    {
        _engine = new StandInEngine(_socket, new Dictionary<string, string>
        {
            [Backend] = """
                {"Id":"sha256:5f1c","RepoTags":["registry.example.com/thebot-backend:1.0.0"],"Size":312456789,
                 "Config":{"User":"appuser","Env":["PATH=/usr/local/bin:/usr/bin","DJANGO_SETTINGS_MODULE=config.settings"],"Labels":{"org.opencontainers.image.version":"1.0.0"}}}
                """,
        });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null) await _engine.DisposeAsync();
    }

    private static void RequireCli() => Assert.SkipWhen(ProcessRunner.Which("docker") is null, "the docker CLI is not installed (apt-get install docker.io, or docker-ce-cli)");

    [Fact]
    public async Task Images_are_read_through_the_engine_the_CLI_reaches()
    {
        RequireCli();

        var images = await ContainerImages.FromDockerAsync($"backend={Backend}", TestContext.Current.CancellationToken, DockerHost);

        images.Should().NotBeNull("the stand-in engine answers on DOCKER_HOST");
        var backend = images!.Single();
        backend.Role.Should().Be("backend");
        backend.SizeMb.Should().BeApproximately(312.46, 0.01);
        backend.User.Should().Be("appuser");
        backend.RepoTags.Should().Equal(Backend);
        _engine!.Paths.Should().Contain(p => p.EndsWith($"/images/{Backend}/json", StringComparison.Ordinal), "the CLI must ask the engine for the image");
    }

    [Fact]
    public async Task A_missing_image_fails_with_the_engine_s_answer()
    {
        RequireCli();

        var read = () => ContainerImages.FromDockerAsync("frontend=registry.example.com/thebot-frontend:9.9.9", TestContext.Current.CancellationToken, DockerHost);

        (await read.Should().ThrowAsync<InvalidOperationException>()).Which.Message
            .Should().Contain("docker image inspect registry.example.com/thebot-frontend:9.9.9 failed").And.Contain("No such image");
    }

    [Fact]
    public async Task No_engine_means_no_images_rather_than_an_error()
    {
        RequireCli();

        var images = await ContainerImages.FromDockerAsync($"backend={Backend}", TestContext.Current.CancellationToken,
            new Dictionary<string, string> { ["DOCKER_HOST"] = $"unix://{_socket}.absent", ["DOCKER_CONFIG"] = Path.GetTempPath() });

        images.Should().BeNull("the image checks skip with the reason when no engine answers");
    }

    /// <summary>A minimal HTTP/1.1 server on a unix socket speaking the Docker Engine API's read-only image calls.</summary>
    private sealed class StandInEngine : IAsyncDisposable
    {
        private const string ApiVersion = "1.47";
        private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        private readonly IReadOnlyDictionary<string, string> _images;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private readonly string _path;

        public List<string> Paths { get; } = [];

        public StandInEngine(string path, IReadOnlyDictionary<string, string> images)
        {
            (_path, _images) = (path, images);
            _listener.Bind(new UnixDomainSocketEndPoint(path));
            _listener.Listen(16);
            _loop = AcceptAsync();
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptAsync(_stop.Token);
                    _ = ServeAsync(client);
                }
            }
            catch (OperationCanceledException) { }
        }

        private async Task ServeAsync(Socket client)
        {
            using var _ = client;
            await using var stream = new NetworkStream(client);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            try
            {
                while (await reader.ReadLineAsync(_stop.Token) is { Length: > 0 } requestLine)
                {
                    while (await reader.ReadLineAsync(_stop.Token) is { Length: > 0 }) { } // headers; the CLI sends no body on these calls
                    var parts = requestLine.Split(' ');
                    var (method, path) = (parts[0], Uri.UnescapeDataString(parts[1].Split('?')[0]));
                    lock (Paths) Paths.Add(path);
                    var (status, body) = Answer(path);
                    var head = $"HTTP/1.1 {status}\r\nApi-Version: {ApiVersion}\r\nOstype: linux\r\nContent-Type: {(body.StartsWith('{') ? "application/json" : "text/plain")}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                    if (method != "HEAD") await stream.WriteAsync(Encoding.UTF8.GetBytes(body), _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
        }

        private (string Status, string Body) Answer(string path)
        {
            var route = System.Text.RegularExpressions.Regex.Replace(path, @"^/v[0-9.]+", "");
            if (route == "/_ping") return ("200 OK", "OK");
            if (route == "/version")
                return ("200 OK", $$"""{"Version":"28.2.2","ApiVersion":"{{ApiVersion}}","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64","KernelVersion":"6.1.0"}""");
            if (route.StartsWith("/images/", StringComparison.Ordinal) && route.EndsWith("/json", StringComparison.Ordinal))
            {
                var name = route["/images/".Length..^"/json".Length];
                return _images.TryGetValue(name, out var json) ? ("200 OK", json) : ("404 Not Found", $$"""{"message":"No such image: {{name}}"}""");
            }
            return ("404 Not Found", """{"message":"page not found"}""");
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Dispose();
            try { await _loop; } catch (ObjectDisposedException) { }
            File.Delete(_path);
        }
    }
}
