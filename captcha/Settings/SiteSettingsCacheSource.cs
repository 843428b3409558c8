using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using RedisRing.SharedCache;
using RedisRing.SharedCache.Loading;

namespace RedisRing.Captcha.Settings;

/// <summary>
/// Feeds the shared cache from a settings source (JSON file, MongoDB). Only the process holding
/// the loader lock calls it, so the source's load does not grow with the number of workers. Every
/// read is the whole collection in batches, validated site by site (an invalid site is skipped with
/// a warning, as in-process); the incremental changes are the difference from the previous read,
/// so only the sites that changed are rewritten and deleted sites disappear. To diff, it keeps one
/// 64-bit fingerprint per site, not a copy of the records: the records themselves are in the cache.
/// A JSON file is watched, so an edit reaches the workers at once instead of at the next poll, and
/// a poll that finds the file's size and modification time unchanged does not reread it.
/// </summary>
internal sealed partial class SiteSettingsCacheSource : ISharedCacheSource, IDisposable
{
    /// <summary>An editor writes a file in several steps: give it a moment before reading.</summary>
    private static readonly TimeSpan SettleDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// An incremental read asks for changes from this long before the previous read started:
    /// the clocks of whoever sets <c>updatedAt</c> may be behind ours, and a site read twice is
    /// only compared again (its fingerprint has not moved), never rewritten.
    /// </summary>
    private static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromSeconds(5);

    private readonly ISiteSettingsSource _source;
    private readonly int _batchSize;
    private readonly ILogger _logger;
    private readonly string? _file;
    private readonly FileSystemWatcher? _watcher;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private Dictionary<string, ulong> _last = new(StringComparer.Ordinal);
    private (long Length, DateTime Written)? _lastFileStamp;
    private DateTime? _readStartedUtc;
    private long _reads;
    private int _lastReadSites;
    private long _successes;

    public SiteSettingsCacheSource(ISiteSettingsSource source, int batchSize, string? watchedFile, ILogger logger)
    {
        _source = source;
        _batchSize = Math.Max(1, batchSize);
        _logger = logger;
        _file = string.IsNullOrWhiteSpace(watchedFile) ? null : Path.GetFullPath(watchedFile);
        _watcher = Watch(_file);
    }

    /// <summary>Times this process consulted the source (a read, or a JSON file's size and time checked).</summary>
    public long SourceReads => Volatile.Read(ref _reads);

    public async Task<SourceBatch> LoadAllAsync(CancellationToken cancellationToken)
    {
        var stamp = FileStamp();
        var started = DateTime.UtcNow;
        var records = await ReadAsync(cancellationToken);
        _readStartedUtc = started;
        _last = records.ToDictionary(p => p.Key, p => Fingerprint(p.Value), StringComparer.Ordinal);
        _lastFileStamp = stamp;
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

        if (_source is IIncrementalSiteSettingsSource incremental && _readStartedUtc is { } since)
        {
            return await LoadUpdatedAsync(incremental, since - ClockSkewAllowance, cancellationToken);
        }

        var stamp = FileStamp();
        if (stamp is not null && stamp == _lastFileStamp)
        {
            // The file is there and unchanged: the source answered, with nothing new.
            Interlocked.Increment(ref _reads);
            return new SourceChanges([], NextCursor());
        }

        var records = await ReadAsync(cancellationToken);
        var changes = new List<CacheChange>();
        var fingerprints = new Dictionary<string, ulong>(records.Count, StringComparer.Ordinal);
        foreach (var (key, value) in records)
        {
            var fingerprint = Fingerprint(value);
            fingerprints[key] = fingerprint;
            if (!_last.TryGetValue(key, out var old) || old != fingerprint)
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

        _last = fingerprints;
        _lastFileStamp = stamp;
        if (changes.Count > 0)
        {
            LogChanged(changes.Count - deleted, deleted, _source.Description);
        }

        return new SourceChanges(changes, NextCursor());
    }

    /// <summary>
    /// The sites whose <c>updatedAt</c> is at or after <paramref name="sinceUtc"/>, those that really
    /// changed turned into upserts. Deletions wait for the next full reload, which the loader runs
    /// every <c>FullReloadSeconds</c>.
    /// </summary>
    private async Task<SourceChanges> LoadUpdatedAsync(IIncrementalSiteSettingsSource source, DateTime sinceUtc, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var records = await ReadAsync(source.ReadUpdatedSinceAsync(sinceUtc, _batchSize, cancellationToken), cancellationToken);
        var changes = new List<CacheChange>();
        foreach (var (key, value) in records)
        {
            var fingerprint = Fingerprint(value);
            if (!_last.TryGetValue(key, out var old) || old != fingerprint)
            {
                _last[key] = fingerprint;
                changes.Add(CacheChange.Upsert(key, value));
            }
        }

        _readStartedUtc = started;
        if (changes.Count > 0)
        {
            LogChanged(changes.Count, 0, _source.Description);
        }

        return new SourceChanges(changes, NextCursor());
    }

    public async Task WaitForChangesAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        // The loader calls this after each load, when the batch it wrote is garbage.
        LoadGarbage.ReleaseAfterLoad(Interlocked.Exchange(ref _lastReadSites, 0));
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

    private Task<Dictionary<string, byte[]>> ReadAsync(CancellationToken cancellationToken) =>
        ReadAsync(_source.ReadBatchesAsync(_batchSize, cancellationToken), cancellationToken);

    private async Task<Dictionary<string, byte[]>> ReadAsync(IAsyncEnumerable<IReadOnlyList<SiteSettingsDocument>> batches, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        try
        {
            var records = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var index = 0;
            await foreach (var batch in batches.WithCancellation(cancellationToken))
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

            _lastReadSites = records.Count;
            return records;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The loader keeps the published settings; say why they are getting older.
            LogReadFailed(e, _source.Description, _last.Count);
            throw;
        }
    }

    /// <summary>A JSON file's size and modification time, read before its contents (a write in between makes the next poll read again).</summary>
    private (long Length, DateTime Written)? FileStamp()
    {
        if (_file is null)
        {
            return null;
        }

        var info = new FileInfo(_file);
        if (!info.Exists)
        {
            var missing = new FileNotFoundException("The settings file is missing.", _file);
            LogReadFailed(missing, _source.Description, _last.Count);
            throw missing;
        }

        return (info.Length, info.LastWriteTimeUtc);
    }

    /// <summary>64 bits of SHA-256: a site that changed and kept its fingerprint by chance is still rewritten at the next full reload.</summary>
    private static ulong Fingerprint(byte[] value)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(value, hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    private string Cursor() => Volatile.Read(ref _successes).ToString(CultureInfo.InvariantCulture);

    private string NextCursor()
    {
        Interlocked.Increment(ref _successes);
        return Cursor();
    }

    private FileSystemWatcher? Watch(string? full)
    {
        if (full is null)
        {
            return null;
        }

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
