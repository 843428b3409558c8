using Microsoft.Extensions.Options;
using RedisRing.SharedCache.Loading;

namespace RedisRing.Captcha.Settings;

/// <summary>
/// Runs in every worker: each one competes for the shared cache's loader lock, the one holding it
/// reads the source and writes the cache, and if it dies (the kernel drops its lock) another worker
/// takes over within a second. At start-up a worker serves at once when the cache is already
/// published (a restarted or added worker); on a cold host it waits, bounded, for the first load.
/// </summary>
internal sealed partial class SharedSettingsLoaderService(
    SharedSiteSettingsProvider provider,
    ISiteSettingsSource source,
    IOptions<SettingsOptions> options,
    TimeProvider time,
    ILogger<SharedSettingsLoaderService> logger,
    ILoggerFactory loggers) : IHostedService, IDisposable
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private SiteSettingsCacheSource? _cacheSource;
    private Task _loop = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        _cacheSource = new SiteSettingsCacheSource(source, o.BatchSize, string.IsNullOrWhiteSpace(o.MongoConnectionString) ? o.JsonPath : null, loggers.CreateLogger<SiteSettingsCacheSource>());
        var loader = new SharedCacheLoader(provider.CacheOptions, _cacheSource, new SharedCacheLoaderOptions
        {
            PollInterval = TimeSpan.FromSeconds(Math.Max(1, o.RefreshSeconds)),
            FullReloadInterval = TimeSpan.FromSeconds(Math.Max(1, o.FullReloadSeconds)),
        });
        provider.AttachLoader(loader, _cacheSource);
        var warm = provider.IsLoaded;
        _loop = Task.Run(() => RunLoaderAsync(loader, _stopping.Token), CancellationToken.None);

        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(0, o.StartupWaitSeconds));
        while (!provider.IsLoaded && time.GetUtcNow() < deadline)
        {
            if (loader.Status is { IsLoader: true, Failures: > 0 })
            {
                // This worker is the loader and the source is down: serve (unhealthy) rather than wait.
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }

        var status = provider.GetStatus();
        LogReady(provider.CacheOptions.Path, warm ? "warm" : "cold", status.Sites, status.Generation, loader.Status.IsLoader);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        // Stopping the loop closes the writer, which releases the loader lock for another worker.
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunLoaderAsync(SharedCacheLoader loader, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await loader.RunAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // For example the cache directory is not writable: this worker cannot load, others may.
                LogLoaderFailed(e, provider.CacheOptions.Path);
                await Task.Delay(RestartDelay, time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _cacheSource?.Dispose();
    }
}
