namespace RedisRing.Captcha.Hosting;

internal sealed partial class WorkerSupervisor
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Supervisor starting {Workers} workers")]
    private partial void LogStarting(int workers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Index} started (pid {Pid})")]
    private partial void LogWorkerStarted(int index, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Index} (pid {Pid}) stopped with exit code {ExitCode}")]
    private partial void LogWorkerStopped(int index, int pid, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Index} (pid {Pid}) died with exit code {ExitCode}; restarting it in {DelayMs} ms")]
    private partial void LogWorkerDied(int index, int pid, int exitCode, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {Index} exited right after starting {Count} times in a row; stopping the service")]
    private partial void LogGivingUp(int index, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {Index} could not be started; stopping the service")]
    private partial void LogStartFailed(Exception exception, int index);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Index} (pid {Pid}) did not stop within the grace period: killing it")]
    private partial void LogKilling(int index, int pid);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {Index} (pid {Pid}) sent no heartbeat for {SilenceMs} ms (had sent one: {HadBeaten}): hung; killing it with SIGKILL and starting another")]
    private partial void LogHung(int index, int pid, double silenceMs, bool hadBeaten);
}
