using RedisRing.SharedCache.Writing;

namespace RedisRing.SharedCache.Loading;

/// <summary>
/// Runs in every process that may load the cache: whichever takes the loader lock does a full load,
/// then incremental updates as the source reports changes and a full reload every interval; the
/// others wait to take over if it dies. A failing source never empties the cache: the last loaded
/// records stay, and the age of the last successful load (in the cache metrics) shows the staleness.
/// </summary>
public sealed class SharedCacheLoader
{
    private readonly SharedCacheOptions _cache;
    private readonly ISharedCacheSource _source;
    private readonly SharedCacheLoaderOptions _options;
    private readonly TimeProvider _time;
    private LoaderStatus _status = new();
    private string? _cursor;

    public SharedCacheLoader(SharedCacheOptions cache, ISharedCacheSource source, SharedCacheLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(source);
        _cache = cache;
        _source = source;
        _options = options ?? new SharedCacheLoaderOptions();
        _time = cache.TimeProvider;
    }

    public LoaderStatus Status => Volatile.Read(ref _status);

    /// <summary>Runs until cancelled; releases the loader lock on the way out.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var writer = SharedCacheWriter.TryAcquire(_cache);
            if (writer is null)
            {
                await Delay(_options.LockRetryInterval, cancellationToken);
                continue;
            }

            using (writer)
            {
                Update(s => s with { IsLoader = true });
                try
                {
                    await ServeAsync(writer, cancellationToken);
                }
                finally
                {
                    Update(s => s with { IsLoader = false });
                }
            }
        }
    }

    private async Task ServeAsync(SharedCacheWriter writer, CancellationToken cancellationToken)
    {
        var nextFull = _time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            var full = now >= nextFull || writer.NeedsFullLoad;
            try
            {
                if (full)
                {
                    await FullLoadAsync(writer, cancellationToken);
                    nextFull = _time.GetUtcNow() + _options.FullReloadInterval;
                }
                else
                {
                    await IncrementalLoadAsync(writer, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The source is down or sent something unusable: keep serving what is loaded.
                Update(s => s with { Failures = s.Failures + 1, LastError = $"{e.GetType().Name}: {e.Message}" });
            }

            var wait = nextFull - _time.GetUtcNow();
            wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait < _options.PollInterval ? wait : _options.PollInterval;
            if (wait > TimeSpan.Zero)
            {
                await _source.WaitForChangesAsync(wait, cancellationToken);
            }
        }
    }

    private async Task FullLoadAsync(SharedCacheWriter writer, CancellationToken cancellationToken)
    {
        Update(s => s with { SourceReads = s.SourceReads + 1 });
        var batch = await _source.LoadAllAsync(cancellationToken);
        writer.ReplaceAll(batch.Records);
        _cursor = batch.Cursor;
        Update(s => s with { FullLoads = s.FullLoads + 1, LastSuccess = _time.GetUtcNow(), LastError = null });
    }

    private async Task IncrementalLoadAsync(SharedCacheWriter writer, CancellationToken cancellationToken)
    {
        Update(s => s with { SourceReads = s.SourceReads + 1 });
        var changes = await _source.LoadChangesAsync(_cursor, cancellationToken);
        if (changes is null)
        {
            await FullLoadAsync(writer, cancellationToken);
            return;
        }

        if (changes.Changes.Count > 0)
        {
            writer.Apply(changes.Changes);
        }
        else
        {
            // Nothing changed, but the source answered: the data is fresh as of now.
            writer.MarkLoaded();
        }

        _cursor = changes.Cursor;
        Update(s => s with { IncrementalLoads = s.IncrementalLoads + 1, LastSuccess = _time.GetUtcNow(), LastError = null });
    }

    private async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void Update(Func<LoaderStatus, LoaderStatus> change)
    {
        // Only the RunAsync loop writes; the exchange just publishes a complete snapshot to other threads.
        Volatile.Write(ref _status, change(_status));
    }
}
