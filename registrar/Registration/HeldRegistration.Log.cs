using Microsoft.Extensions.Logging;

namespace RedisRing.Registrar.Registration;

internal sealed partial class HeldRegistration
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {Path}")]
    private partial void LogRegistered(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap: {Path} entered a brand-new cluster as up")]
    private partial void LogBootstrapped(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Path}")]
    private partial void LogRemoved(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering {Path} failed ({Error}); retrying")]
    private partial void LogRegisterFailed(string path, string error);
}
