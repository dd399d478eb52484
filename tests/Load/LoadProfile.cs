using Gate.Fixtures.Settings;
using Gate.Load;

namespace Gate.LoadSuite;

/// <summary>
/// How hard and how long (GATE_LOAD_PROFILE). Same scenarios, different stages:
/// <list type="bullet">
/// <item><c>ci</c>: short stages sized for 2 shared cores, the whole suite well under 60 s.</item>
/// <item><c>staging</c>: the checklist's 100, 500 and 1000 users (locust -r 100), 10 minutes each.</item>
/// </list>
/// Open-model rates are users / think time: the arrival rate those users would generate.
/// </summary>
public sealed record LoadProfile(string Name, int[] Users, double RampUsersPerSecond, TimeSpan Hold, TimeSpan Think, TimeSpan WarmUp,
    double ApiReadPeakRate, double RoleMixPeakRate, double ChatRate)
{
    public static LoadProfile Ci { get; } = new("ci", Users: [5, 10, 20], RampUsersPerSecond: 100, Hold: TimeSpan.FromSeconds(2),
        Think: TimeSpan.FromSeconds(1), WarmUp: TimeSpan.FromSeconds(1),
        // Below THE_BOT's burst throttle (10/s per account) with six role accounts.
        ApiReadPeakRate: 30, RoleMixPeakRate: 10, ChatRate: 0.8);

    public static LoadProfile Staging { get; } = new("staging", Users: [100, 500, 1000], RampUsersPerSecond: 100, Hold: TimeSpan.FromMinutes(10),
        Think: TimeSpan.FromSeconds(3), WarmUp: TimeSpan.FromSeconds(10),
        ApiReadPeakRate: 1000 / 3.0, RoleMixPeakRate: 1000 / 3.0, ChatRate: 0.8);

    public static LoadProfile FromEnvironment() => Parse(Environment.GetEnvironmentVariable(SettingNames.LoadProfile));

    /// <summary>
    /// <c>ci</c>, <c>staging</c>, or either with overrides to rehearse it briefly:
    /// <c>staging:hold=5s,users=60/120/180,think=3s,warmup=2s</c>. Overriding users or think derives
    /// the open-model peak rates from them (largest user count ÷ think time), as staging does.
    /// </summary>
    public static LoadProfile Parse(string? value)
    {
        var text = value?.Trim().ToLowerInvariant() ?? "";
        var colon = text.IndexOf(':');
        var (name, overrides) = colon < 0 ? (text, "") : (text[..colon], text[(colon + 1)..]);
        var profile = name switch
        {
            "" or "ci" => Ci,
            "staging" => Staging,
            _ => throw Invalid($"'{name}' is not a load profile; use ci or staging"),
        };
        foreach (var pair in overrides.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=');
            var (key, v) = eq < 0 ? (pair, "") : (pair[..eq].Trim(), pair[(eq + 1)..].Trim());
            profile = key switch
            {
                "hold" => profile with { Hold = Seconds(key, v) },
                "warmup" => profile with { WarmUp = Seconds(key, v) },
                "think" => Derived(profile with { Think = Seconds(key, v) }),
                "users" => Derived(profile with { Users = UserCounts(v) }),
                _ => throw Invalid($"'{pair}' is not an override; use hold=, warmup=, think= (e.g. 5s) or users= (e.g. 100/500/1000)"),
            };
        }
        return colon < 0 ? profile : profile with { Name = text };
    }

    private static LoadProfile Derived(LoadProfile p) => p with { ApiReadPeakRate = p.UsersPeakRate, RoleMixPeakRate = p.UsersPeakRate };

    private static TimeSpan Seconds(string key, string v) =>
        double.TryParse(v.TrimEnd('s'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s is > 0 and <= 3600
            ? TimeSpan.FromSeconds(s)
            : throw Invalid($"{key}='{v}' is not a duration in seconds from 0 to 3600 (e.g. 5s)");

    private static int[] UserCounts(string v)
    {
        var users = v.Split('/').Select(u => int.TryParse(u, out var n) && n > 0 ? n : 0).ToArray();
        return users.Length > 0 && users.All(u => u > 0) && users.Zip(users.Skip(1)).All(p => p.First < p.Second)
            ? users
            : throw Invalid($"users='{v}' is not rising user counts separated by / (e.g. 100/500/1000)");
    }

    private static InvalidOperationException Invalid(string problem) => new($"{SettingNames.LoadProfile}: {problem}.");

    /// <summary>The most iterations/s the largest user count sends, one per think time each: the closed runs' peak, and staging's open-model peak.</summary>
    public double UsersPeakRate => Users[^1] / Think.TotalSeconds;

    /// <summary>
    /// Open-model stages reaching <paramref name="peakRate"/> at the largest user count: for each
    /// user count, ramp at the user ramp rate, then hold. ci holds each step for <see cref="Hold"/>.
    /// </summary>
    public LoadSimulation[] OpenStages(double peakRate)
    {
        var stages = new List<LoadSimulation>();
        var (previousUsers, previousRate) = (0, 0.0);
        foreach (var users in Users)
        {
            var rate = peakRate * users / Users[^1];
            var ramp = TimeSpan.FromSeconds(Math.Max(1, (users - previousUsers) / RampUsersPerSecond));
            stages.Add(Simulation.RampingRate(previousRate, rate, ramp, MaxConcurrency(rate)));
            stages.Add(Simulation.ConstantRate(rate, Hold, MaxConcurrency(rate)));
            (previousUsers, previousRate) = (users, rate);
        }
        return [.. stages];
    }

    /// <summary>The closed-model runs reported alongside: each user count for <see cref="Hold"/>, ramp as locust -r.</summary>
    public IEnumerable<(int Users, LoadSimulation Stage)> ClosedStages() =>
        Users.Select(u => (u, (LoadSimulation)Simulation.Users(u, Hold + TimeSpan.FromSeconds(u / RampUsersPerSecond), RampUsersPerSecond, Think)));

    public LoadSimulation WarmUpStage(double peakRate) =>
        Simulation.ConstantRate(Math.Max(1, peakRate / 4), WarmUp, MaxConcurrency(peakRate));

    /// <summary>In-flight slots: enough for 10 s of arrivals (a 10 s response still does not drop iterations), at least 50.</summary>
    private static int MaxConcurrency(double rate) => (int)Math.Max(50, rate * 10);
}
