namespace RedisRing.Proxy.Handlers;

/// <summary>What the proxy knows about one client connection: its id, address, name and whether it authenticated.</summary>
internal sealed class ClientState(long id, string remote, bool authenticated)
{
    private bool _authenticated = authenticated;

    public long Id { get; } = id;

    public string Remote { get; } = remote;

    /// <summary>The user the client runs as (proxy/Acl): the default one until AUTH or HELLO AUTH.</summary>
    public required Acl.AclUser User { get; set; }

    /// <summary>
    /// The RESP version the client chose with HELLO (2 or 3): replies are converted for 3
    /// (proxy/Resp3), and pushes are written as `&gt;` frames.
    /// </summary>
    public int Protocol { get; set; } = 2;

    /// <summary>
    /// Channels, patterns and shard channels the client is subscribed to (proxy/PubSub): more
    /// than zero puts a RESP2 client in subscribed mode and exempts it from the idle timeout.
    /// </summary>
    public int Subscriptions { get; set; }

    /// <summary>The command the client sent last, for CLIENT LIST's <c>cmd=</c> (read by other sessions).</summary>
    public Commands.CommandInfo? LastCommand { get; set; }

    /// <summary>Set by CLIENT SETNAME or HELLO SETNAME.</summary>
    public string? Name { get; set; }

    public bool IsAuthenticated
    {
        get => _authenticated;
        set
        {
            _authenticated = value;
            HasAuthenticated |= value;
        }
    }

    /// <summary>
    /// The client has been authenticated at some point on this connection (or needed no password).
    /// RESET does not undo it: a client that proved it knows the password is no stranger to time
    /// out before AUTH (read by the server's timer, on another thread).
    /// </summary>
    public bool HasAuthenticated { get; private set; } = authenticated;
}
