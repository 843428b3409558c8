namespace RedisRing.Proxy.Routing;

/// <summary>
/// Orders commands for one replica set. Writes are queued to all copies while holding the gate,
/// so every copy receives the writes in the same order. A command that must be made
/// deterministic in two steps (SPOP, then SREM of what it popped on the other copies) raises a
/// barrier: commands for the same set that arrive meanwhile wait in order until it is lowered,
/// so no copy sees them on the wrong side of the rewrite.
/// </summary>
internal sealed class ReplicaSetGate
{
    private readonly object _sync = new();
    private readonly Queue<IGatedCommand> _parked = new();
    private volatile int _barriers;

    /// <summary>True while a two-step command is in progress (read without the lock).</summary>
    public bool HasBarrier => _barriers > 0;

    /// <summary>Starts the command now under the gate, or parks it behind a barrier.</summary>
    public void StartOrPark(IGatedCommand command)
    {
        lock (_sync)
        {
            if (_barriers > 0)
            {
                _parked.Enqueue(command);
                return;
            }

            command.StartUnderGate(this, deferFlush: true);
        }
    }

    /// <summary>Raises a barrier; call only from <see cref="IGatedCommand.StartUnderGate"/>.</summary>
    public void Raise() => _barriers++;

    /// <summary>Runs the second step, lowers the barrier and starts parked commands in order.</summary>
    public void Lower(Action secondStep)
    {
        lock (_sync)
        {
            secondStep();
            _barriers--;
            while (_barriers == 0 && _parked.TryDequeue(out var command))
            {
                command.StartUnderGate(this, deferFlush: false);
            }
        }
    }
}
