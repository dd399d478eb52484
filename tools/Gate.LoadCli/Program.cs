using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Gate.Load;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// gate-load: the load engine's console entry point.
//   merge --out DIR LOG.hlog [LOG.hlog ...]    merge agents' histogram logs into one exact report
//   bench --url URL [--users 64] [--duration 10] [--ca ca.pem] [--header "Name: value"] [--http 1.1|2] [--report DIR]
//                                              closed model at maximum rate; prints "ENGINE_RPS <n>"
//   serve --port PORT [--bind 127.0.0.1]       a trivial Kestrel endpoint (GET / -> 200 "ok")
return args.FirstOrDefault() switch
{
    "merge" => Merge(args[1..]),
    "bench" => await BenchAsync(args[1..]),
    "serve" => await ServeAsync(args[1..]),
    "raw" => await RawAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: gate-load merge --out DIR LOG.hlog [LOG.hlog ...]
               gate-load bench --url URL [--users 64] [--duration 10] [--ca ca.pem] [--header "Name: value"] [--http 1.1|2] [--report DIR]
               gate-load serve --port PORT [--bind 127.0.0.1]
        """);
    return 2;
}

static (Dictionary<string, string> Options, List<string> Positional) Parse(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    var positional = new List<string>();
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length) options[args[i][2..]] = args[++i];
        else positional.Add(args[i]);
    }
    return (options, positional);
}

static int Merge(string[] args)
{
    var (o, logs) = Parse(args);
    if (!o.TryGetValue("out", out var folder) || logs.Count == 0) return Usage();
    var missing = logs.Where(l => !File.Exists(l)).ToList();
    if (missing.Count > 0)
    {
        Console.Error.WriteLine($"gate-load merge: no such log: {string.Join(", ", missing)}");
        return 2;
    }
    var merged = LoadLogMerge.Merge(logs);
    var files = LoadLogMerge.WriteReport(merged, logs, folder);
    foreach (var s in merged)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{s.Scenario}/{s.Step}: {s.Total} requests from {s.Agents} log(s), {s.ErrorRate * 100:0.###} % failed, p50 {s.PercentileMs(50):0.##} ms, p95 {s.PercentileMs(95):0.##} ms, p99 {s.PercentileMs(99):0.##} ms"));
    Console.WriteLine($"report: {files[0]}");
    return 0;
}

static async Task<int> BenchAsync(string[] args)
{
    // Socket completions run their continuations on the epoll thread instead of being queued to
    // the thread pool: one hand-off less per request (measured: +15 % HTTPS req/s, bench/README.md).
    // Read when the first socket is used, so set before any; an explicit value wins.
    if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
    var (o, _) = Parse(args);
    if (!o.TryGetValue("url", out var url)) return Usage();
    var uri = new Uri(url);
    if (!uri.IsLoopback) // load goes to loopback only
    {
        Console.Error.WriteLine($"gate-load bench: refusing non-loopback target {uri.Host}");
        return 2;
    }
    var users = int.Parse(o.GetValueOrDefault("users", "64"), CultureInfo.InvariantCulture);
    var duration = TimeSpan.FromSeconds(double.Parse(o.GetValueOrDefault("duration", "10"), CultureInfo.InvariantCulture));
    using var ca = o.TryGetValue("ca", out var caPath) ? X509Certificate2.CreateFromPem(File.ReadAllText(caPath)) : null;
    using var client = LoadHttp.CreateInvoker(maxConnections: users, trustedCa: ca);
    string? headerName = null, headerValue = null;
    if (o.TryGetValue("header", out var header) && header.IndexOf(':') is > 0 and var colon)
        (headerName, headerValue) = (header[..colon].Trim(), header[(colon + 1)..].Trim());

    var version = o.GetValueOrDefault("http", "1.1") == "2" ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11;
    var scenario = Scenario.Create("bench")
        .WithStep("get", ctx =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            if (headerName is not null) request.Headers.TryAddWithoutValidation(headerName, headerValue);
            return LoadHttp.SendAsync(client, request, ctx.CancellationToken);
        })
        .WithWarmUp(Simulation.Users(users, TimeSpan.FromSeconds(1)))
        .WithLoadSimulations(Simulation.Users(users, duration));
    var runner = LoadRunner.RegisterScenarios(scenario).WithName("bench").WithProgress(Console.WriteLine, TimeSpan.FromSeconds(5));
    if (o.TryGetValue("report", out var report)) runner = runner.WithReportFolder(report);
    var result = await runner.RunAsync();
    var get = result.Scenario("bench").Step("get");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"bench: {get.Total} requests ({get.Failed} failed) in {duration.TotalSeconds:0.#} s with {users} users; p50 {get.PercentileMs(50):0.###} ms, p99 {get.PercentileMs(99):0.###} ms; status {string.Join(" ", get.StatusCodes.Select(c => $"{c.Key}:{c.Value}"))}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ENGINE_RPS {get.Total / duration.TotalSeconds:0}"));
    return get.Failed == 0 ? 0 : 1;
}

static async Task<int> ServeAsync(string[] args)
{
    var (o, _) = Parse(args);
    var port = int.Parse(o.GetValueOrDefault("port", "18080"), CultureInfo.InvariantCulture);
    var bind = o.GetValueOrDefault("bind", "127.0.0.1");
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Parse(bind), port));
    await using var app = builder.Build();
    app.MapGet("/", () => "ok");
    await app.StartAsync();
    Console.WriteLine($"SERVE READY http://{bind}:{port}/");
    await app.WaitForShutdownAsync();
    return 0;
}

// A bare HttpClient loop without the engine (for measuring the engine's own overhead).
static async Task<int> RawAsync(string[] args)
{
    var (o, _) = Parse(args);
    var uri = new Uri(o["url"]);
    var users = int.Parse(o.GetValueOrDefault("users", "64"), CultureInfo.InvariantCulture);
    var duration = TimeSpan.FromSeconds(double.Parse(o.GetValueOrDefault("duration", "10"), CultureInfo.InvariantCulture));
    var invoker = o.GetValueOrDefault("mode", "client") == "invoker";
    using var client = LoadHttp.CreateClient(maxConnections: users);
    using var rawCa = o.TryGetValue("ca", out var rawCaPath) ? X509Certificate2.CreateFromPem(File.ReadAllText(rawCaPath)) : null;
    using var inv = LoadHttp.CreateInvoker(users, rawCa);
    long count = 0;
    var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var buffer = new byte[16384];
    await Task.WhenAll(Enumerable.Range(0, users).Select(async _ =>
    {
        var buf = new byte[16384];
        while (Stopwatch.GetTimestamp() < end)
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, uri);
            using var resp = invoker ? await inv.SendAsync(req, CancellationToken.None) : await client.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await resp.Content.ReadAsStreamAsync();
            while (await body.ReadAsync(buf) > 0) { }
            Interlocked.Increment(ref count);
        }
    }));
    Console.WriteLine($"RAW_RPS {count / duration.TotalSeconds:0}");
    return 0;
}
