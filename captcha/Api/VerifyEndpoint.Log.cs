using RedisRing.Captcha.Verification;

namespace RedisRing.Captcha.Api;

internal sealed partial class VerifyEndpoint
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Refused an answer for site {SiteKey} from client {ClientIp}: input {Input}, {Position}, checks {Verdict}")]
    private partial void LogRefused(string siteKey, string clientIp, string input, string position, TrackVerdict verdict);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused an answer for site {SiteKey}: it comes from another client than the challenge was issued to")]
    private partial void LogClientMismatch(string siteKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused an accessible answer for site {SiteKey} from client {ClientIp}: over its hourly limit")]
    private partial void LogAccessibleLimited(string siteKey, string clientIp);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Accepted an answer for site {SiteKey}")]
    private partial void LogPassed(string siteKey);
}
