namespace RedisRing.Captcha.Images;

/// <summary>
/// Keeps the puzzle pools topped up on one background thread. One thread, not one per core, so
/// that pre-rendering never takes more than a core away from serving requests.
/// </summary>
internal sealed class PuzzlePoolFiller(PuzzlePool pool) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (pool.Capacity == 0)
        {
            return Task.CompletedTask;
        }

        return Task.Factory.StartNew(
            async () =>
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    var rendered = false;
                    foreach (var look in pool.Looks)
                    {
                        rendered |= pool.FillOne(look);
                    }

                    if (!rendered)
                    {
                        // Every pool is full: look again shortly.
                        await Task.Delay(TimeSpan.FromMilliseconds(20), stoppingToken).ConfigureAwait(false);
                    }
                }
            },
            stoppingToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();
    }
}
