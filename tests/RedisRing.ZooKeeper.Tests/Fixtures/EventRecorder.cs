using System.Collections.Concurrent;

namespace RedisRing.ZooKeeper.Tests.Fixtures;

/// <summary>Collects watch events (from any thread) and lets a test wait for a number of them.</summary>
public sealed class EventRecorder
{
    private readonly ConcurrentQueue<WatchedEvent> _events = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public Action<WatchedEvent> Watcher => Record;

    public IReadOnlyList<WatchedEvent> Events => [.. _events];

    public void Record(WatchedEvent e)
    {
        _events.Enqueue(e);
        _arrived.Release();
    }

    /// <summary>Waits until at least <paramref name="count"/> events arrived in total and returns them all.</summary>
    public async Task<IReadOnlyList<WatchedEvent>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (_events.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
            {
                throw new TimeoutException($"Expected {count} events, got {_events.Count}: {string.Join(", ", _events)}");
            }
        }

        return Events;
    }
}
