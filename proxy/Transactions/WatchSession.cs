using RedisRing.Proxy.Backends;

namespace RedisRing.Proxy.Transactions;

/// <summary>
/// One client's WATCH: a connection of its own to the primary (first readable copy) of the
/// watched keys' replica set, on which WATCH and later the transaction run, since WATCH is the
/// state of one Redis connection. Opened on the first WATCH, closed on EXEC, DISCARD, UNWATCH,
/// RESET or when the client leaves. Once broken (the primary failed, the connection could not
/// be opened, a WATCH went unanswered) EXEC answers nil, as for a watched key that changed: the
/// proxy can no longer tell whether one did.
/// </summary>
internal sealed class WatchSession
{
    private volatile bool _broken;

    public WatchSession(BackendNode? primary, byte[] locatingKey)
    {
        Primary = primary;
        LocatingKey = locatingKey;
        _broken = primary is null;
        Connection = primary is null ? Task.FromResult<BackendConnection?>(null) : primary.OpenDedicatedConnectionAsync();
    }

    /// <summary>The node the watch is on; null when no copy was readable at the first WATCH.</summary>
    public BackendNode? Primary { get; }

    /// <summary>A watched key, to find the replica set again at EXEC.</summary>
    public byte[] LocatingKey { get; }

    /// <summary>The dedicated connection, or null when it could not be opened.</summary>
    public Task<BackendConnection?> Connection { get; }

    public bool IsBroken => _broken || Connection is { IsCompleted: true, Result: null or { IsClosed: true } };

    public void Break() => _broken = true;

    /// <summary>Closes the dedicated connection (also once it is open, if it is still opening); Redis forgets the watch with it.</summary>
    public void Close()
    {
        _broken = true;
        Connection.ContinueWith(static task => task.Result?.Close("the client's WATCH ended"), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
