using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace RedisRing.ZooKeeper.Recipes;

/// <summary>
/// Runs a recipe's reconcile step one at a time whenever something may have changed (a watch, a
/// state change). Pokes that arrive while a step runs collapse into one more run, so a burst of
/// events costs one extra round trip, not one per event. A failed step is retried after a pause.
/// </summary>
internal sealed partial class RecipeWorker : IAsyncDisposable
{
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(200);

    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Func<CancellationToken, Task> _step;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RecipeWorker(string name, Func<CancellationToken, Task> step, ILogger logger)
    {
        _name = name;
        _step = step;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public CancellationToken Stopping => _stop.Token;

    public void Poke() => _signal.Writer.TryWrite(true);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _signal.Writer.TryComplete();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        try
        {
            while (await _signal.Reader.WaitToReadAsync(token))
            {
                _signal.Reader.TryRead(out _);
                try
                {
                    await _step(token);
                }
#pragma warning disable CA1031 // whatever failed (the server, a handler of the recipe's event), the recipe must keep going
                catch (Exception e) when (!token.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    if (e is ClientClosedException or AuthFailedException)
                    {
                        LogClientGone(_name, e.Message);
                        return; // final states: there is nothing left to retry with
                    }

                    if (e is ZooKeeperException or TimeoutException)
                    {
                        LogStepFailed(_name, e.Message);
                    }
                    else
                    {
                        LogStepCrashed(e, _name);
                    }

                    await Task.Delay(s_retryDelay, token);
                    Poke();
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Recipe}: {Reason}; retrying")]
    private partial void LogStepFailed(string recipe, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Recipe}: stopped, the client is unusable ({Reason})")]
    private partial void LogClientGone(string recipe, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Recipe}: unexpected failure; retrying")]
    private partial void LogStepCrashed(Exception exception, string recipe);
}
