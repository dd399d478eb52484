using StackExchange.Redis;

namespace TheBot.Reference.Features;

/// <summary>
/// The Celery worker stand-in: a background loop that beats into Redis and drains the task
/// queue, so readiness reports "celery" the way the platform does (503 without a worker).
/// </summary>
public sealed class TaskWorker(IConnectionMultiplexer redis, ILogger<TaskWorker> log, Logs logs) : BackgroundService
{
    public const string HeartbeatKey = "celery:worker:heartbeat";
    public const string QueueKey = "celery";
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logs.Celery.Write("celery@thebot-worker ready. concurrency: 2 (prefork), broker: redis");
        var lastBeat = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var db = redis.GetDatabase();
                await db.StringSetAsync(HeartbeatKey, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(), StaleAfter);
                while (await db.ListLeftPopAsync(QueueKey) is { HasValue: true } task)
                {
                    log.LogInformation("task done: {Task}", task.ToString());
                    logs.Celery.Write($"task {task} succeeded");
                    Metrics.CeleryTasks.Inc($"{Metrics.Label("task", task.ToString())},{Metrics.Label("state", "success")}");
                }
                // celery-beat: the periodic session cleanup, once a minute.
                if (DateTimeOffset.UtcNow - lastBeat > TimeSpan.FromMinutes(1))
                {
                    lastBeat = DateTimeOffset.UtcNow;
                    logs.Celery.Write("beat: sending due task core.tasks.cleanup_expired_sessions");
                    Metrics.CeleryTasks.Inc($"{Metrics.Label("task", "core.tasks.cleanup_expired_sessions")},{Metrics.Label("state", "success")}");
                    Metrics.CeleryTaskDuration.Observe(0.002, Metrics.Label("task", "core.tasks.cleanup_expired_sessions"));
                }
            }
            catch (RedisException) { /* readiness reports the broker as down */ }
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
