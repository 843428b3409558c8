namespace RedisRing.Proxy.Handlers;

/// <summary>Proxy-wide counters shown by INFO; updated with interlocked operations.</summary>
internal sealed class ProxyStats
{
    private long _connectionsReceived;
    private long _connectedClients;
    private long _commandsProcessed;
    private long _rejectedConnections;
    private long _protocolErrors;
    private long _outputBufferLimitDisconnections;
    private long _nextClientId;

    public long ConnectionsReceived => Interlocked.Read(ref _connectionsReceived);

    public long ConnectedClients => Interlocked.Read(ref _connectedClients);

    public long CommandsProcessed => Interlocked.Read(ref _commandsProcessed);

    public long RejectedConnections => Interlocked.Read(ref _rejectedConnections);

    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    /// <summary>Clients closed for the replies they left unread (Redis 7.2's INFO field of the same name).</summary>
    public long OutputBufferLimitDisconnections => Interlocked.Read(ref _outputBufferLimitDisconnections);

    public long ClientConnected()
    {
        Interlocked.Increment(ref _connectionsReceived);
        Interlocked.Increment(ref _connectedClients);
        return Interlocked.Increment(ref _nextClientId);
    }

    public void ClientDisconnected() => Interlocked.Decrement(ref _connectedClients);

    public void ConnectionRejected() => Interlocked.Increment(ref _rejectedConnections);

    public void CommandsDone(int count) => Interlocked.Add(ref _commandsProcessed, count);

    public void ProtocolError() => Interlocked.Increment(ref _protocolErrors);

    public void OutputBufferLimitReached() => Interlocked.Increment(ref _outputBufferLimitDisconnections);
}
