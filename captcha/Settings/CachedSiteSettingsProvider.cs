using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace RedisRing.Captcha.Settings;

/// <summary>
/// The in-process settings cache: an immutable dictionary swapped whole by the refresher, so
/// readers never lock and never see a half-applied refresh. Used by a single process
/// (<c>--workers 0</c>, or a host without a shared memory file system); workers use the shared cache.
/// </summary>
internal sealed class CachedSiteSettingsProvider : ISiteSettingsProvider, ISiteSettingsStatus
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _staleAfter;
    private FrozenDictionary<string, SiteSettings> _sites = FrozenDictionary<string, SiteSettings>.Empty;
    private DateTimeOffset? _lastLoad;
    private long _generation;
    private long _sourceReads;
    private long _failures;
    private string? _lastError;

    public CachedSiteSettingsProvider()
        : this(Options.Create(new SettingsOptions()), TimeProvider.System)
    {
    }

    public CachedSiteSettingsProvider(IOptions<SettingsOptions> options, TimeProvider time)
    {
        _time = time;
        _staleAfter = options.Value.StaleAfter;
    }

    public int Count => Volatile.Read(ref _sites).Count;

    /// <summary>Whether at least one refresh succeeded (readiness).</summary>
    public bool IsLoaded => Volatile.Read(ref _generation) > 0;

    public bool TryGet(string siteKey, [NotNullWhen(true)] out SiteSettings? settings) =>
        Volatile.Read(ref _sites).TryGetValue(siteKey, out settings);

    public void Replace(IEnumerable<SiteSettings> sites)
    {
        Volatile.Write(ref _sites, sites.ToFrozenDictionary(s => s.SiteKey, StringComparer.Ordinal));
        _lastLoad = _time.GetUtcNow();
        _lastError = null;
        Interlocked.Increment(ref _generation);
    }

    /// <summary>Counts a read of the source (called by the refresher before it reads).</summary>
    public void CountSourceRead() => Interlocked.Increment(ref _sourceReads);

    /// <summary>Records a failed refresh: the last good settings stay and grow stale.</summary>
    public void RecordFailure(Exception error)
    {
        Interlocked.Increment(ref _failures);
        _lastError = $"{error.GetType().Name}: {error.Message}";
    }

    public SettingsStatus GetStatus()
    {
        var age = _lastLoad is { } last ? _time.GetUtcNow() - last : (TimeSpan?)null;
        return new SettingsStatus
        {
            Mode = SettingsCacheMode.InProcess,
            Loaded = IsLoaded,
            Sites = Count,
            Age = age,
            Stale = age is null || age > _staleAfter,
            Generation = Volatile.Read(ref _generation),
            IsLoader = true,
            SourceReads = Volatile.Read(ref _sourceReads),
            SourceFailures = Volatile.Read(ref _failures),
            LastError = _lastError,
        };
    }
}
