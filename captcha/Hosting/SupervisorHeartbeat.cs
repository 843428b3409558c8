namespace RedisRing.Captcha.Hosting;

/// <summary>
/// In a worker: writes a heartbeat byte to standard error every <see cref="WorkerOptions.HeartbeatMs"/>,
/// which the supervisor reads (<see cref="WorkerErrorPipe"/>); when the beats stop for longer than its
/// timeout it kills this worker and starts another. On a thread-pool timer, so a worker whose thread
/// pool is starved for that long counts as hung too. It keeps beating while the worker stops
/// gracefully (until the host is disposed): finishing requests is not hanging.
/// </summary>
internal sealed class SupervisorHeartbeat(WorkerOptions options) : IHostedService, IDisposable
{
    private static readonly byte[] Beat = [WorkerErrorPipe.Heartbeat];
    private readonly Stream _error = Console.OpenStandardError();
    private Timer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.HeartbeatMs);
        _timer = new Timer(_ => Send(), null, TimeSpan.Zero, interval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Send()
    {
        try
        {
            _error.Write(Beat);
            _error.Flush();
        }
        catch (IOException)
        {
            // The supervisor is gone: SupervisorWatch stops this worker.
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _error.Dispose();
    }
}
