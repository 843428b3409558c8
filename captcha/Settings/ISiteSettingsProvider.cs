using System.Diagnostics.CodeAnalysis;

namespace RedisRing.Captcha.Settings;

/// <summary>
/// The one way request handling reads site settings. Implementations answer from memory without
/// I/O: the shared cache mapped by every worker on the host, or an in-process copy.
/// </summary>
internal interface ISiteSettingsProvider
{
    bool TryGet(string siteKey, [NotNullWhen(true)] out SiteSettings? settings);
}
