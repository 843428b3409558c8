namespace RedisRing.Captcha.Api;

internal sealed partial class ChallengeEndpoint
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a challenge for site {SiteKey}: hostname {Hostname} is not allowed")]
    private partial void LogHostnameRefused(string siteKey, string hostname);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a challenge for site {SiteKey} to client {ClientIp}: {Limit}")]
    private partial void LogRateLimited(string siteKey, string clientIp, string limit);
}
