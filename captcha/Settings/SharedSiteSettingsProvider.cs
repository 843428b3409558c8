using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using RedisRing.SharedCache;
using RedisRing.SharedCache.Loading;
using RedisRing.SharedCache.Reading;

namespace RedisRing.Captcha.Settings;

/// <summary>
/// Site settings read from the host-wide shared cache: every worker maps the same file, so the
/// settings are held once per host and a new worker serves from them at once. A lookup copies the
/// site's record out of the mapping (no lock, no system call) and compares it with the record it
/// last decoded for that site: while a site does not change, its settings object is reused; when
/// the loader rewrote the record, it is decoded and validated again.
/// </summary>
internal sealed partial class SharedSiteSettingsProvider : ISiteSettingsProvider, ISiteSettingsStatus, IDisposable
{
    /// <summary>Decoded sites kept per worker; more sites than this are decoded again when needed.</summary>
    internal const int MaxDecodedSites = 10_000;

    private const int StackBufferBytes = 1024;
    private static readonly TimeSpan OpenRetryInterval = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, DecodedSite> _decoded = new(StringComparer.Ordinal);
    private readonly TimeSpan _staleAfter;
    private readonly TimeProvider _time;
    private readonly ILogger<SharedSiteSettingsProvider> _logger;
    private readonly Lock _openLock = new();
    private SharedCacheReader? _reader;
    private DateTimeOffset _nextOpenAttempt;
    private string? _lastRefusal;
    private SharedCacheLoader? _loader;
    private SiteSettingsCacheSource? _source;
    private int _decodedCount;
    private bool _disposed;

    public SharedSiteSettingsProvider(IOptions<SettingsOptions> options, TimeProvider time, ILogger<SharedSiteSettingsProvider> logger)
    {
        _staleAfter = options.Value.StaleAfter;
        _time = time;
        _logger = logger;
        CacheOptions = new SharedCacheOptions { Path = SharedCachePaths.Resolve(options.Value), TimeProvider = time };
    }

    public SharedCacheOptions CacheOptions { get; }

    /// <summary>Whether a published generation is mapped: the worker can serve.</summary>
    public bool IsLoaded => OpenReader() is { } reader && reader.Generation > 0;

    public bool TryGet(string siteKey, [NotNullWhen(true)] out SiteSettings? settings)
    {
        settings = null;
        if (!SiteSettingsValidator.IsValidSiteKey(siteKey) || OpenReader() is not { } reader)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[StackBufferBytes];
        byte[]? rented = null;
        try
        {
            var status = reader.TryGet(siteKey, buffer, out var length);
            // The record may grow between the two reads if the loader replaces it: ask again.
            for (var attempt = 0; status == LookupStatus.BufferTooSmall && attempt < 3; attempt++)
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }

                rented = ArrayPool<byte>.Shared.Rent(length);
                buffer = rented;
                status = reader.TryGet(siteKey, buffer, out length);
            }

            if (status != LookupStatus.Found)
            {
                return false;
            }

            var value = buffer[..length];
            if (_decoded.TryGetValue(siteKey, out var known) && known.Record.AsSpan().SequenceEqual(value))
            {
                settings = known.Settings;
                return true;
            }

            if (!SiteSettingsCodec.TryDecode(value, out var decoded, out var error))
            {
                LogUndecodable(siteKey, error!);
                return false;
            }

            // Counted by hand: ConcurrentDictionary.Count takes every bucket lock (up to 1024 of
            // them once the table has grown), which made each decode cost tens of microseconds.
            if (Interlocked.Increment(ref _decodedCount) > MaxDecodedSites)
            {
                _decoded.Clear();
                Interlocked.Exchange(ref _decodedCount, 1);
            }

            _decoded[siteKey] = new DecodedSite(value.ToArray(), decoded!);
            settings = decoded!;
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Lets /healthz and /metrics tell whether this worker is the loader and how often it read the source.</summary>
    internal void AttachLoader(SharedCacheLoader loader, SiteSettingsCacheSource source)
    {
        _loader = loader;
        _source = source;
    }

    public SettingsStatus GetStatus()
    {
        var reader = OpenReader();
        var metrics = reader?.GetMetrics() ?? SharedCacheMetrics.Empty;
        var loader = _loader?.Status ?? new LoaderStatus();
        return new SettingsStatus
        {
            Mode = SettingsCacheMode.Shared,
            Loaded = metrics.Generation > 0,
            Sites = metrics.RecordCount,
            Age = metrics.LastLoadAge,
            Stale = metrics.LastLoadAge is not { } age || age > _staleAfter,
            Generation = metrics.Generation,
            IsLoader = loader.IsLoader,
            SourceReads = _source?.SourceReads ?? 0,
            SourceFailures = loader.Failures,
            LastError = loader.LastError,
            CacheUsedBytes = metrics.UsedBytes,
            CacheLookups = metrics.Lookups,
            CacheRetries = metrics.Retries,
        };
    }

    /// <summary>The reader, mapping the file once a loader has published it (tried at most every 200 ms until then).</summary>
    internal SharedCacheReader? OpenReader()
    {
        var reader = Volatile.Read(ref _reader);
        if (reader is not null || _time.GetUtcNow() < _nextOpenAttempt)
        {
            return reader;
        }

        lock (_openLock)
        {
            if (_reader is not null || _disposed)
            {
                return _reader;
            }

            try
            {
                reader = SharedCacheReader.Open(CacheOptions);
                Volatile.Write(ref _reader, reader);
                LogMapped(CacheOptions.Path, reader.Generation);
                return reader;
            }
            catch (SharedCacheUnsafePathException e)
            {
                // Someone else's directory or files: never mapped. Said once per reason, not every 200 ms.
                if (!string.Equals(e.Message, _lastRefusal, StringComparison.Ordinal))
                {
                    _lastRefusal = e.Message;
                    LogRefused(e.Message);
                }

                _nextOpenAttempt = _time.GetUtcNow() + OpenRetryInterval;
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SharedCacheException)
            {
                // No loader has published yet, or it is rebuilding a bad file: try again shortly.
                _nextOpenAttempt = _time.GetUtcNow() + OpenRetryInterval;
                return null;
            }
        }
    }

    public void Dispose()
    {
        lock (_openLock)
        {
            _disposed = true;
            _reader?.Dispose();
        }
    }

    private sealed record DecodedSite(byte[] Record, SiteSettings Settings);
}
