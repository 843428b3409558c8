namespace RedisRing.Captcha.Api;

internal sealed partial class SiteVerifyEndpoint
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "siteverify for site {SiteKey} was called with a wrong secret")]
    private partial void LogInvalidSecret(string siteKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "siteverify for site {SiteKey} refused a token: remoteip is not the client it was issued to")]
    private partial void LogRemoteIpMismatch(string siteKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "siteverify for site {SiteKey} answered success from the token's signature alone: the store is unavailable and the site fails open")]
    private partial void LogFailOpen(string siteKey);
}
