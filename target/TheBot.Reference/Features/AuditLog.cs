using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

/// <summary>The audit.log of the contract: `[AUDIT] &lt;time&gt; &lt;message&gt;` for every login attempt.</summary>
public sealed class AuditLog
{
    private readonly string _path;
    private readonly Lock _gate = new();

    public AuditLog(PlatformOptions options)
    {
        Directory.CreateDirectory(options.LogDirectory);
        _path = Path.Combine(options.LogDirectory, "audit.log");
    }

    public void Write(string message)
    {
        lock (_gate) File.AppendAllText(_path, $"[AUDIT] {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss,fff} {message}\n");
    }
}
