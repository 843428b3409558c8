namespace RedisRing.Captcha.Hosting;

/// <summary>
/// In a worker: the supervisor holds the write end of the worker's standard input and never
/// writes. End of input means the supervisor closed it (a graceful stop) or died (even by
/// kill -9): either way the worker stops, so no orphan keeps serving on the shared port.
/// </summary>
internal sealed partial class SupervisorWatch(IHostApplicationLifetime lifetime, ILogger<SupervisorWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var input = Console.OpenStandardInput();
        var buffer = new byte[64];
        try
        {
            // A blocking read on a thread of its own: reads from a pipe may not honour cancellation.
            while (await Task.Run(() => input.Read(buffer), CancellationToken.None).WaitAsync(stoppingToken) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        LogSupervisorGone();
        lifetime.StopApplication();
    }
}
