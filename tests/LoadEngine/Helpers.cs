using Gate.Load;

namespace LoadEngine.Tests;

internal static class Helpers
{
    public static Scenario Get(string name, TestServer server, string path, params LoadSimulation[] load)
    {
        var url = server.Url(path);
        return Scenario.Create(name)
            .WithStep("get", ctx => LoadHttp.GetAsync(server.Client, url, ctx.CancellationToken))
            .WithLoadSimulations(load);
    }

    /// <summary>Same, after a 1 s warm-up with the same shape (JIT, connections) that is not measured.</summary>
    public static Scenario WarmGet(string name, TestServer server, string path, LoadSimulation load) =>
        Get(name, server, path, load).WithWarmUp(load with { During = S(1) });

    public static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);
    public static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    public static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    public static LoadRunner Runner(params Scenario[] scenarios) =>
        LoadRunner.RegisterScenarios(scenarios).WithProgress(Log, S(1)).WithGracefulStop(S(5));
}
