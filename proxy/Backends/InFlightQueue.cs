namespace RedisRing.Proxy.Backends;

/// <summary>
/// The commands one backend connection owes replies to, oldest first: a ring buffer rather than
/// <see cref="Queue{T}"/> because the per-command timeout walks the oldest entries by index
/// (<see cref="this[int]"/>) without taking them out. Not thread-safe: the connection's lock guards it.
/// </summary>
internal sealed class InFlightQueue
{
    private InFlightCall[] _items = new InFlightCall[64];
    private int _head;

    public int Count { get; private set; }

    /// <summary>The <paramref name="index"/>-th oldest entry (0 = the oldest).</summary>
    public ref readonly InFlightCall this[int index] => ref _items[(_head + index) & (_items.Length - 1)];

    public void Enqueue(in InFlightCall call)
    {
        if (Count == _items.Length)
        {
            Grow();
        }

        _items[(_head + Count) & (_items.Length - 1)] = call;
        Count++;
    }

    public bool TryDequeue(out InFlightCall call)
    {
        if (Count == 0)
        {
            call = default;
            return false;
        }

        call = _items[_head];
        _items[_head] = default;
        _head = (_head + 1) & (_items.Length - 1);
        Count--;
        return true;
    }

    /// <summary>Takes every entry out, oldest first.</summary>
    public InFlightCall[] DrainAll()
    {
        var all = new InFlightCall[Count];
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = this[i];
        }

        Array.Clear(_items);
        _head = 0;
        Count = 0;
        return all;
    }

    private void Grow()
    {
        // Power-of-two sizes keep the index a mask.
        var next = new InFlightCall[_items.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            next[i] = this[i];
        }

        _items = next;
        _head = 0;
    }
}

/// <summary>
/// One command a backend owes a reply to: who gets the reply, when it was queued, and whether it
/// may legitimately hold the server for long (a script, a function, a whole-keyspace command), which
/// stretches the silence the liveness check accepts while it is the oldest command.
/// </summary>
internal readonly record struct InFlightCall(ICallTarget Target, int Tag, long Started, bool MayRunLong);
