namespace RedisRing.Proxy.Backends;

/// <summary>
/// The keys whose writes a node missed (hinted handoff). Bounded: past the limit the node can no
/// longer be caught up key by key and is marked as needing a full repair.
/// </summary>
internal sealed class HintBuffer(int maxKeys)
{
    private readonly object _sync = new();
    private HashSet<byte[]> _keys = new(ByteArrayComparer.Instance);

    /// <summary>More keys were missed than the buffer holds.</summary>
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

    public void Add(ReadOnlySpan<byte> key)
    {
        lock (_sync)
        {
            if (Overflowed)
            {
                return;
            }

            if (_keys.Count >= maxKeys)
            {
                Overflowed = true;
                _keys.Clear();
                return;
            }

            var lookup = _keys.GetAlternateLookup<ReadOnlySpan<byte>>();
            if (!lookup.Contains(key))
            {
                _keys.Add(key.ToArray());
            }
        }
    }

    /// <summary>Marks the node as having missed writes that cannot be listed (e.g. FLUSHALL).</summary>
    public void MarkOverflowed()
    {
        lock (_sync)
        {
            Overflowed = true;
            _keys.Clear();
        }
    }

    /// <summary>Forgets an overflow once a repair made the node complete again.</summary>
    public void ClearOverflow()
    {
        lock (_sync)
        {
            Overflowed = false;
        }
    }

    /// <summary>Takes every hinted key, leaving the buffer empty.</summary>
    public IReadOnlyCollection<byte[]> TakeAll()
    {
        lock (_sync)
        {
            var taken = _keys;
            _keys = new HashSet<byte[]>(ByteArrayComparer.Instance);
            return taken;
        }
    }

    /// <summary>Runs <paramref name="action"/> only if no hint is pending, atomically with adds.</summary>
    public bool IfEmpty(Action action)
    {
        lock (_sync)
        {
            if (_keys.Count > 0 || Overflowed)
            {
                return false;
            }

            action();
            return true;
        }
    }
}
