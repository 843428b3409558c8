namespace RedisRing.Captcha.Settings;

internal sealed partial class SiteSettingsRefresher
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} site settings from {Source}")]
    private partial void LogLoaded(int count, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped invalid site settings #{Index} (site key {SiteKey}): {Error}")]
    private partial void LogInvalidSite(int index, string? siteKey, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refreshing site settings from {Source} failed; keeping the {Count} sites loaded before")]
    private partial void LogRefreshFailed(Exception exception, string source, int count);
}
