using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace RedisRing.ZooKeeper.Watches;

/// <summary>
/// Runs watch callbacks and state events one at a time, in the order the I/O loop saw them, on a
/// task of its own: a slow or failing callback never stalls reading replies.
/// </summary>
internal sealed partial class EventDispatcher
{
    private readonly Channel<Action> _queue = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly Task _loop;

    public EventDispatcher(ILogger logger)
    {
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public void Post(Action action) => _queue.Writer.TryWrite(action);

    /// <summary>Lets queued events run, then stops. Not awaited from a callback (it would wait for itself).</summary>
    public Task StopAsync()
    {
        _queue.Writer.TryComplete();
        return _loop;
    }

    private async Task RunAsync()
    {
        await foreach (var action in _queue.Reader.ReadAllAsync())
        {
            try
            {
                action();
            }
#pragma warning disable CA1031 // a callback's failure must not stop later events from being delivered
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogCallbackFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A ZooKeeper watch or state callback threw")]
    private partial void LogCallbackFailed(Exception exception);
}
