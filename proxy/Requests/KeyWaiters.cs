using System.Collections.Frozen;
using RedisRing.Proxy.Backends;
using RedisRing.Resp;

namespace RedisRing.Proxy.Requests;

/// <summary>
/// The keys that blocked clients of this proxy wait on (BLPOP, BZPOPMIN, XREAD BLOCK ...), and
/// their wake-ups: a keyed write routed by this proxy to such a key wakes every client waiting on
/// it, after the write was queued to the copies, so that the pop each then retries reaches every
/// copy after the write (docs/protocol.md, "Blocking commands"). The writers' check is one
/// volatile read while nobody waits.
/// </summary>
internal sealed class KeyWaiters
{
    // Writes that may give a blocked client something to take. Pops are not among them: a pop
    // that found nothing wakes nobody, or blocked clients would wake each other without end.
    private static readonly FrozenSet<string> s_mayAddElements = FrozenSet.Create(StringComparer.Ordinal,
        "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LINSERT", "LMOVE", "RPOPLPUSH",
        "ZADD", "ZINCRBY", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE", "ZRANGESTORE", "GEOADD", "GEORADIUS", "GEORADIUSBYMEMBER", "GEOSEARCHSTORE",
        "XADD", "XGROUP|CREATE", "XGROUP|SETID", "XGROUP|CREATECONSUMER", "XSETID",
        "RENAME", "RENAMENX", "COPY", "RESTORE", "SORT", "EVAL", "EVALSHA", "FCALL");

    private readonly object _sync = new();
    private readonly Dictionary<byte[], List<IKeyWaiter>> _byKey = new(ByteArrayComparer.Instance);
    private volatile int _count;

    /// <summary>Keys waited on right now (for INFO and tests).</summary>
    public int KeyCount => _count;

    public void Add(IReadOnlyList<byte[]> keys, IKeyWaiter waiter)
    {
        lock (_sync)
        {
            foreach (var key in keys)
            {
                if (!_byKey.TryGetValue(key, out var waiters))
                {
                    waiters = new List<IKeyWaiter>(1);
                    _byKey[key] = waiters;
                }

                if (!waiters.Contains(waiter))
                {
                    waiters.Add(waiter);
                }
            }

            _count = _byKey.Count;
        }
    }

    public void Remove(IReadOnlyList<byte[]> keys, IKeyWaiter waiter)
    {
        lock (_sync)
        {
            foreach (var key in keys)
            {
                if (_byKey.TryGetValue(key, out var waiters) && waiters.Remove(waiter) && waiters.Count == 0)
                {
                    _byKey.Remove(key);
                }
            }

            _count = _byKey.Count;
        }
    }

    /// <summary>
    /// The write <paramref name="command"/> to the keys at <paramref name="keyIndexes"/> of
    /// <paramref name="frame"/> was queued to the copies: wakes their waiters, except
    /// <paramref name="self"/> (a blocked client's own LMOVE of a key onto itself).
    /// </summary>
    public void OnWrite(string command, RequestFrame frame, List<int> keyIndexes, IKeyWaiter? self)
    {
        if (_count == 0 || !s_mayAddElements.Contains(command))
        {
            return;
        }

        List<IKeyWaiter>? woken = null;
        lock (_sync)
        {
            var lookup = _byKey.GetAlternateLookup<ReadOnlySpan<byte>>();
            foreach (var index in keyIndexes)
            {
                if (lookup.TryGetValue(frame[index], out var waiters))
                {
                    foreach (var waiter in waiters)
                    {
                        if (!ReferenceEquals(waiter, self))
                        {
                            (woken ??= []).Add(waiter);
                        }
                    }
                }
            }
        }

        // Outside the lock: a woken waiter may remove itself at once.
        if (woken is not null)
        {
            foreach (var waiter in woken)
            {
                waiter.Wake();
            }
        }
    }
}

/// <summary>A blocked client's wait, woken by a write to one of its keys.</summary>
internal interface IKeyWaiter
{
    void Wake();
}
