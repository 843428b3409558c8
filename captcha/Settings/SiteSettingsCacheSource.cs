using System.Globalization;
using RedisRing.SharedCache;
using RedisRing.SharedCache.Loading;

namespace RedisRing.Captcha.Settings;

/// <summary>
/// Feeds the shared cache from a settings source (JSON file, MongoDB). Only the process holding
/// the loader lock calls it, so the source's load does not grow with the number of workers. Every
/// read is the whole collection in batches, validated site by site (an invalid site is skipped with
/// a warning, as in-process); the incremental changes are the difference from the previous read,
/// so only the sites that changed are rewritten and deleted sites disappear. A JSON file is watched,
/// so an edit reaches the workers at once instead of at the next poll.
/// </summary>
internal sealed partial class SiteSettingsCacheSource : ISharedCacheSource, IDisposable
{
    /// <summary>An editor writes a file in several steps: give it a moment before reading.</summary>
    private static readonly TimeSpan SettleDelay = TimeSpan.FromMilliseconds(100);

    private readonly ISiteSettingsSource _source;
    private readonly int _batchSize;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher? _watcher;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private Dictionary<string, byte[]> _last = new(StringComparer.Ordinal);
    private long _reads;
    private long _successes;

    public SiteSettingsCacheSource(ISiteSettingsSource source, int batchSize, string? watchedFile, ILogger logger)
    {
        _source = source;
        _batchSize = Math.Max(1, batchSize);
        _logger = logger;
        _watcher = Watch(watchedFile);
    }

    /// <summary>Reads of the underlying source made by this process.</summary>
    public long SourceReads => Volatile.Read(ref _reads);

    public async Task<SourceBatch> LoadAllAsync(CancellationToken cancellationToken)
    {
        var records = await ReadAsync(cancellationToken);
        _last = records;
        LogLoaded(records.Count, _source.Description);
        return new SourceBatch(records.Select(p => CacheRecord.From(p.Key, p.Value)).ToList(), NextCursor());
    }

    public async Task<SourceChanges?> LoadChangesAsync(string? cursor, CancellationToken cancellationToken)
    {
        if (cursor != Cursor())
        {
            // Not our last read (another session of this process, or none): only a full load can tell.
            return null;
        }

        var records = await ReadAsync(cancellationToken);
        var changes = new List<CacheChange>();
        foreach (var (key, value) in records)
        {
            if (!_last.TryGetValue(key, out var old) || !old.AsSpan().SequenceEqual(value))
            {
                changes.Add(CacheChange.Upsert(key, value));
            }
        }

        var deleted = 0;
        foreach (var key in _last.Keys)
        {
            if (!records.ContainsKey(key))
            {
                changes.Add(CacheChange.Delete(key));
                deleted++;
            }
        }

        _last = records;
        if (changes.Count > 0)
        {
            LogChanged(changes.Count - deleted, deleted, _source.Description);
        }

        return new SourceChanges(changes, NextCursor());
    }

    public async Task WaitForChangesAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        try
        {
            if (await _changed.WaitAsync(maxWait, cancellationToken))
            {
                await Task.Delay(SettleDelay, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task<Dictionary<string, byte[]>> ReadAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        try
        {
            var records = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var index = 0;
            await foreach (var batch in _source.ReadBatchesAsync(_batchSize, cancellationToken))
            {
                foreach (var document in batch)
                {
                    if (SiteSettingsValidator.TryCreate(document, out var settings, out var error))
                    {
                        records[settings!.SiteKey] = SiteSettingsCodec.Encode(document);
                    }
                    else
                    {
                        LogInvalidSite(index, document.SiteKey, error!);
                    }

                    index++;
                }
            }

            return records;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The loader keeps the published settings; say why they are getting older.
            LogReadFailed(e, _source.Description, _last.Count);
            throw;
        }
    }

    private string Cursor() => Volatile.Read(ref _successes).ToString(CultureInfo.InvariantCulture);

    private string NextCursor()
    {
        Interlocked.Increment(ref _successes);
        return Cursor();
    }

    private FileSystemWatcher? Watch(string? file)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return null;
        }

        var full = Path.GetFullPath(file);
        var directory = Path.GetDirectoryName(full);
        if (directory is null || !Directory.Exists(directory))
        {
            // Polling still notices changes; the watch only makes them quicker.
            return null;
        }

        var watcher = new FileSystemWatcher(directory, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += (_, _) => Signal();
        watcher.Created += (_, _) => Signal();
        watcher.Renamed += (_, _) => Signal();
        watcher.Deleted += (_, _) => Signal();
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _changed.Dispose();
    }
}
