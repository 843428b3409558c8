namespace RedisRing.Proxy.Backends;

/// <summary>
/// The keys this proxy wrote to a joining node while a warm-up copied it (docs/consistency.md,
/// "Warm-up"). A write that crosses the copy of its key (reaching the source after the copy read
/// it and the node before the copy wrote it, or the other way round) can leave the node's copy
/// wrong; every such key is written by some proxy while that proxy tracks, so each proxy copies
/// its own tracked keys again (drains) before the node is promoted. While draining, only a key
/// written during its own re-copy is recorded again, so a drain ends under steady load.
/// Bounded: past the limit the proxy cannot name what to copy again and the generation restarts.
/// </summary>
internal sealed class WarmUpTracker(int maxKeys)
{
    private readonly Lock _sync = new();
    private HashSet<byte[]> _keys = new(ByteArrayComparer.Instance);
    private HashSet<byte[]>? _inFlight;
    private long _generation;
    private bool _draining;

    /// <summary>The generation tracked (0: none).</summary>
    public long Generation
    {
        get
        {
            lock (_sync)
            {
                return _generation;
            }
        }
    }

    /// <summary>More keys were written than the tracker holds: this generation cannot be drained.</summary>
    public bool Overflowed { get; private set; }

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _keys.Count;
            }
        }
    }

    /// <summary>Starts recording for <paramref name="generation"/>, forgetting anything older.</summary>
    public void Track(long generation)
    {
        lock (_sync)
        {
            if (_generation == generation)
            {
                return;
            }

            _generation = generation;
            _keys = new HashSet<byte[]>(ByteArrayComparer.Instance);
            _inFlight = null;
            _draining = false;
            Overflowed = false;
        }
    }

    /// <summary>Stops recording (the node was promoted, removed, or its job ended).</summary>
    public void Stop() => Track(0);

    /// <summary>A write that cannot be named key by key (FLUSHALL) reached the node: this generation must start again.</summary>
    public void MarkOverflowed()
    {
        lock (_sync)
        {
            if (_generation != 0)
            {
                Overflowed = true;
                _keys.Clear();
            }
        }
    }

    /// <summary>Called by the write path for every key written to the node.</summary>
    public void OnWrite(ReadOnlySpan<byte> key)
    {
        lock (_sync)
        {
            if (_generation == 0 || Overflowed)
            {
                return;
            }

            if (_draining)
            {
                // Only a write that may cross the key's own re-copy matters now.
                if (_inFlight is null || !_inFlight.GetAlternateLookup<ReadOnlySpan<byte>>().Contains(key))
                {
                    return;
                }
            }

            var lookup = _keys.GetAlternateLookup<ReadOnlySpan<byte>>();
            if (lookup.Contains(key))
            {
                return;
            }

            if (_keys.Count >= maxKeys)
            {
                Overflowed = true;
                _keys.Clear();
                return;
            }

            _keys.Add(key.ToArray());
        }
    }

    /// <summary>
    /// Takes the keys to copy again in this drain pass (for <paramref name="generation"/> only);
    /// from now on only writes to these keys are recorded. Empty when nothing is left.
    /// </summary>
    public IReadOnlyCollection<byte[]> TakeForDrain(long generation)
    {
        lock (_sync)
        {
            if (_generation != generation || Overflowed)
            {
                return [];
            }

            _draining = true;
            var taken = _keys;
            _keys = new HashSet<byte[]>(ByteArrayComparer.Instance);
            _inFlight = taken;
            return taken;
        }
    }

    /// <summary>Gives back keys whose copy failed (no readable source answered): they are taken again in the next pass.</summary>
    public void Retry(IEnumerable<byte[]> keys)
    {
        lock (_sync)
        {
            foreach (var key in keys)
            {
                _keys.Add(key);
            }
        }
    }
}
