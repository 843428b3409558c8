using Microsoft.Extensions.Options;

namespace RedisRing.Captcha.Settings;

/// <summary>
/// Loads all site settings from the source in batches at start-up and then periodically, and
/// swaps them into the cache. A failed refresh keeps the last good settings.
/// </summary>
internal sealed partial class SiteSettingsRefresher(
    ISiteSettingsSource source,
    CachedSiteSettingsProvider cache,
    IOptions<SettingsOptions> options,
    TimeProvider time,
    ILogger<SiteSettingsRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first load happens before the server accepts requests, so the demo site works at once.
        await RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.RefreshSeconds)), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RefreshAsync(stoppingToken);
        }
    }

    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var loaded = 0;
        try
        {
            var sites = new Dictionary<string, SiteSettings>(StringComparer.Ordinal);
            var index = 0;
            cache.CountSourceRead();
            await foreach (var batch in source.ReadBatchesAsync(Math.Max(1, options.Value.BatchSize), cancellationToken))
            {
                foreach (var document in batch)
                {
                    if (SiteSettingsValidator.TryCreate(document, out var settings, out var error))
                    {
                        sites[settings!.SiteKey] = settings;
                    }
                    else
                    {
                        LogInvalidSite(index, document.SiteKey, error!);
                    }

                    index++;
                }
            }

            cache.Replace(sites.Values);
            LogLoaded(sites.Count, source.Description);
            loaded = sites.Count;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            cache.RecordFailure(e);
            LogRefreshFailed(e, source.Description, cache.Count);
        }

        LoadGarbage.ReleaseAfterLoad(loaded);
    }
}
