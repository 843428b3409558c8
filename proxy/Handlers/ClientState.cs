namespace RedisRing.Proxy.Handlers;

/// <summary>What the proxy knows about one client connection: its id, address, name and whether it authenticated.</summary>
internal sealed class ClientState(long id, string remote, bool authenticated)
{
    public long Id { get; } = id;

    public string Remote { get; } = remote;

    /// <summary>Set by CLIENT SETNAME or HELLO SETNAME.</summary>
    public string? Name { get; set; }

    public bool IsAuthenticated { get; set; } = authenticated;
}
