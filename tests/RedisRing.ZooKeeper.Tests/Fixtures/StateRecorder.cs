using System.Collections.Concurrent;

namespace RedisRing.ZooKeeper.Tests.Fixtures;

/// <summary>Records a client's state changes and waits for a given state.</summary>
public sealed class StateRecorder
{
    private readonly ConcurrentQueue<ZooKeeperState> _states = new();
    private readonly SemaphoreSlim _changed = new(0);

    public StateRecorder(ZooKeeperClient client) =>
        client.StateChanged += (_, e) =>
        {
            _states.Enqueue(e.State);
            _changed.Release();
        };

    public IReadOnlyList<ZooKeeperState> States => [.. _states];

    /// <summary>Waits until <paramref name="state"/> was reached (at any point since recording began).</summary>
    public async Task WaitForAsync(ZooKeeperState state, TimeSpan? timeout = null, int occurrence = 1)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (_states.Count(s => s == state) < occurrence)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _changed.WaitAsync(left))
            {
                throw new TimeoutException($"State {state} not reached; states so far: {string.Join(", ", _states)}");
            }
        }
    }

    /// <summary>
    /// Waits until one of <paramref name="states"/> is recorded after the first <paramref name="skip"/>
    /// changes, and returns the first such state.
    /// </summary>
    public async Task<ZooKeeperState> WaitForAnyAsync(IReadOnlyCollection<ZooKeeperState> states, int skip = 0, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            foreach (var state in _states.Skip(skip))
            {
                if (states.Contains(state))
                {
                    return state;
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _changed.WaitAsync(left))
            {
                throw new TimeoutException($"None of {string.Join(", ", states)} reached; states so far: {string.Join(", ", _states)}");
            }
        }
    }
}
