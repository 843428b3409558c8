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
            // A blocking read on a thread of its own (not a pool thread): a read from a pipe does not
            // honour cancellation, and this one lasts as long as the worker.
            var endOfInput = Task.Factory.StartNew(
                () =>
                {
                    while (input.Read(buffer) > 0)
                    {
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
            await endOfInput.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        LogSupervisorGone();
        lifetime.StopApplication();
    }
}
