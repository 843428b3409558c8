using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace RedisRing.Captcha.Settings;

/// <summary>
/// The in-process settings cache: an immutable dictionary swapped whole by the refresher, so
/// readers never lock and never see a half-applied refresh.
/// </summary>
internal sealed class CachedSiteSettingsProvider : ISiteSettingsProvider
{
    private FrozenDictionary<string, SiteSettings> _sites = FrozenDictionary<string, SiteSettings>.Empty;

    public int Count => Volatile.Read(ref _sites).Count;

    /// <summary>Whether at least one refresh succeeded (readiness).</summary>
    public bool IsLoaded { get; private set; }

    public bool TryGet(string siteKey, [NotNullWhen(true)] out SiteSettings? settings) =>
        Volatile.Read(ref _sites).TryGetValue(siteKey, out settings);

    public void Replace(IEnumerable<SiteSettings> sites)
    {
        Volatile.Write(ref _sites, sites.ToFrozenDictionary(s => s.SiteKey, StringComparer.Ordinal));
        IsLoaded = true;
    }
}
