using Microsoft.Extensions.Options;

namespace RedisRing.Captcha.Images;

/// <summary>
/// Keeps the puzzle pools topped up on <see cref="PuzzleOptions.RenderThreads"/> background
/// threads (one by default, so that pre-rendering never takes more than a core away from
/// serving requests; with several worker processes each has its own).
/// </summary>
internal sealed class PuzzlePoolFiller(PuzzlePool pool, IOptions<PuzzleOptions> options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (pool.Capacity == 0)
        {
            return Task.CompletedTask;
        }

        var threads = Math.Clamp(options.Value.RenderThreads, 1, Environment.ProcessorCount);
        return Task.WhenAll(Enumerable.Range(0, threads).Select(_ => FillAsync(stoppingToken)));
    }

    private Task FillAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(
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
