using System.Diagnostics;

namespace TheBot.Reference.Features;

/// <summary>Counters behind /api/system/metrics/ and the Prometheus exposition.</summary>
public sealed class RequestMetrics
{
    private long _requests, _errors, _latencyMicros, _open;
    private TimeSpan _lastCpu = Process.GetCurrentProcess().TotalProcessorTime;
    private DateTime _lastSample = DateTime.UtcNow;
    private double _cpuPercent;
    private readonly Lock _cpuGate = new();

    public long Requests => Interlocked.Read(ref _requests);
    public long Errors => Interlocked.Read(ref _errors);
    public long OpenConnections => Interlocked.Read(ref _open);
    public double AverageLatencyMs => Requests == 0 ? 0 : Interlocked.Read(ref _latencyMicros) / 1000.0 / Requests;

    public async Task Track(HttpContext ctx, Func<Task> next)
    {
        Interlocked.Increment(ref _open);
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next();
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            Interlocked.Increment(ref _requests);
            Interlocked.Add(ref _latencyMicros, (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            if (ctx.Response.StatusCode >= 500) Interlocked.Increment(ref _errors);
        }
    }

    /// <summary>Process CPU since the previous sample, as a share of all cores.</summary>
    public double CpuPercent()
    {
        lock (_cpuGate)
        {
            var now = DateTime.UtcNow;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = (now - _lastSample).TotalMilliseconds;
            if (wall > 200)
            {
                _cpuPercent = 100.0 * (cpu - _lastCpu).TotalMilliseconds / (wall * Environment.ProcessorCount);
                (_lastCpu, _lastSample) = (cpu, now);
            }
            return _cpuPercent;
        }
    }
}
