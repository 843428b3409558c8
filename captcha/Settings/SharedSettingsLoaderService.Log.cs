namespace RedisRing.Captcha.Settings;

internal sealed partial class SharedSettingsLoaderService
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Serving site settings from the shared cache {Path} ({Start} start): {Sites} sites, generation {Generation}, loader: {IsLoader}")]
    private partial void LogReady(string path, string start, long sites, long generation, bool isLoader);

    [LoggerMessage(Level = LogLevel.Error, Message = "The shared settings loader for {Path} stopped; retrying")]
    private partial void LogLoaderFailed(Exception exception, string path);
}
