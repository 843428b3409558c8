namespace RedisRing.Captcha.Api;

internal sealed partial class SiteVerifyEndpoint
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "siteverify for site {SiteKey} was called with a wrong secret")]
    private partial void LogInvalidSecret(string siteKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "siteverify for site {SiteKey} answered success without checking the token: Redis is unreachable and the site fails open")]
    private partial void LogFailOpen(string siteKey);
}
