using Microsoft.Extensions.Logging;

namespace RedisRing.Registrar.Registration;

internal sealed partial class HeldRegistration
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Live: {Path} (run_id {RunId})")]
    private partial void LogLive(string path, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Not live any more: {Path} deleted")]
    private partial void LogNotLive(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Member {Path} written: {State} ({Reason})")]
    private partial void LogMemberWritten(string path, string state, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Member {Path} has bad data ({Error}); writing it again for this node")]
    private partial void LogBadMember(string path, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed member {Path}")]
    private partial void LogRemoved(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering {Path} failed ({Error}); retrying")]
    private partial void LogRegisterFailed(string path, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} still exists after {Seconds} s of draining; stopping anyway (the proxies' repairer finishes the drain and removes it)")]
    private partial void LogDrainTimedOut(string path, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was leaving and has been removed: this node has left the ring and is not registered again")]
    private partial void LogLeft(string path);
}
