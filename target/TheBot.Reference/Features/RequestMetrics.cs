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
        var counting = new CountingStream(ctx.Response.Body);
        ctx.Response.Body = counting;
        try
        {
            await next();
        }
        finally
        {
            ctx.Response.Body = counting.Inner;
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var labels = $"{Metrics.Label("method", ctx.Request.Method)},{Metrics.Label("status", ctx.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
            Metrics.RequestTotal.Inc(labels);
            Metrics.RequestLatency.Observe(seconds, Metrics.Label("method", ctx.Request.Method));
            Metrics.RequestBodySize.Observe(ctx.Request.ContentLength ?? 0);
            Metrics.ResponseBodySize.Observe(counting.Written);
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

/// <summary>Counts response bytes for django_response_body_size_bytes.</summary>
public sealed class CountingStream(Stream inner) : Stream
{
    public Stream Inner => inner;
    public long Written { get; private set; }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Written;
    public override long Position { get => Written; set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) { Written += count; inner.Write(buffer, offset, count); }
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) { Written += buffer.Length; await inner.WriteAsync(buffer, ct); }
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) { Written += count; return inner.WriteAsync(buffer, offset, count, ct); }
}
