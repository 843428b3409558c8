namespace RedisRing.Captcha.Hosting;

internal sealed partial class SupervisorWatch
{
    [LoggerMessage(Level = LogLevel.Information, Message = "The supervisor closed this worker's input (stopping or gone): stopping")]
    private partial void LogSupervisorGone();
}
