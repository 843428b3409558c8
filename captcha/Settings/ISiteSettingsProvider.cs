using System.Diagnostics.CodeAnalysis;

namespace RedisRing.Captcha.Settings;

/// <summary>
/// The one way request handling reads site settings. Implementations answer from memory without
/// I/O: today an in-process cache refreshed in batches, later the cross-process shared cache.
/// </summary>
internal interface ISiteSettingsProvider
{
    bool TryGet(string siteKey, [NotNullWhen(true)] out SiteSettings? settings);
}
