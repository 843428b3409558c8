namespace RedisRing.Captcha.Settings;

internal sealed partial class SiteSettingsCacheSource
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} site settings from {Source} into the shared cache")]
    private partial void LogLoaded(int count, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Updated the shared cache from {Source}: {Changed} sites changed or added, {Deleted} deleted")]
    private partial void LogChanged(int changed, int deleted, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped invalid site settings #{Index} (site key {SiteKey}): {Error}")]
    private partial void LogInvalidSite(int index, string? siteKey, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading site settings from {Source} failed; the shared cache keeps the {Count} sites loaded before")]
    private partial void LogReadFailed(Exception exception, string source, int count);
}
