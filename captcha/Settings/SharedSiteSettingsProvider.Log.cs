namespace RedisRing.Captcha.Settings;

internal sealed partial class SharedSiteSettingsProvider
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Mapped the shared settings cache {Path} at generation {Generation}")]
    private partial void LogMapped(string path, long generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shared cache's record for site {SiteKey} does not decode: {Error}")]
    private partial void LogUndecodable(string siteKey, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Not mapping the shared settings cache: {Reason}")]
    private partial void LogRefused(string reason);
}
