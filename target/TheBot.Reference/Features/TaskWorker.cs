using StackExchange.Redis;

namespace TheBot.Reference.Features;

/// <summary>
/// The Celery worker stand-in: a background loop that beats into Redis and drains the task
/// queue, so readiness reports "celery" the way the platform does (503 without a worker).
/// </summary>
public sealed class TaskWorker(IConnectionMultiplexer redis, ILogger<TaskWorker> log) : BackgroundService
{
    public const string HeartbeatKey = "celery:worker:heartbeat";
    public const string QueueKey = "celery";
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var db = redis.GetDatabase();
                await db.StringSetAsync(HeartbeatKey, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(), StaleAfter);
                while (await db.ListLeftPopAsync(QueueKey) is { HasValue: true } task)
                    log.LogInformation("task done: {Task}", task.ToString());
            }
            catch (Exception e) when (e is RedisException or TimeoutException) { /* readiness reports the broker as down; RedisTimeoutException is a TimeoutException, and an unhandled one stops the host */ }
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
