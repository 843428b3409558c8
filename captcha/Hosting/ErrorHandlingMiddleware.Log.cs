namespace RedisRing.Captcha.Hosting;

internal sealed partial class ErrorHandlingMiddleware
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unavailable ({Reason}) while serving {Path}")]
    private partial void LogStoreUnavailable(string reason, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error while serving {Path}")]
    private partial void LogUnhandled(Exception exception, string path);
}
