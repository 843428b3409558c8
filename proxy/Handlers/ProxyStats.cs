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
    private long _bytesReceived;
    private long _bytesSent;

    public long ConnectionsReceived => Interlocked.Read(ref _connectionsReceived);

    public long ConnectedClients => Interlocked.Read(ref _connectedClients);

    public long CommandsProcessed => Interlocked.Read(ref _commandsProcessed);

    public long RejectedConnections => Interlocked.Read(ref _rejectedConnections);

    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    /// <summary>Clients closed for the replies they left unread (Redis 7.2's INFO field of the same name).</summary>
    public long OutputBufferLimitDisconnections => Interlocked.Read(ref _outputBufferLimitDisconnections);

    /// <summary>Request bytes read from clients (Redis's total_net_input_bytes).</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Reply bytes written to clients (Redis's total_net_output_bytes).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>
    /// How long client requests take, from the read of their batch to its replies (proxy/Admin
    /// sets it when the admin port is on; null otherwise, and nothing is measured). Observing
    /// is lock-free and allocates nothing.
    /// </summary>
    public Prometheus.Histogram? RequestDurations { get; set; }

    public long ClientConnected()
    {
        Interlocked.Increment(ref _connectionsReceived);
        Interlocked.Increment(ref _connectedClients);
        return Interlocked.Increment(ref _nextClientId);
    }

    public void ClientDisconnected() => Interlocked.Decrement(ref _connectedClients);

    public void ConnectionRejected() => Interlocked.Increment(ref _rejectedConnections);

    public void CommandsDone(int count) => Interlocked.Add(ref _commandsProcessed, count);

    /// <summary>One batch's traffic: one interlocked add per direction per batch, not per command.</summary>
    public void Traffic(long received, long sent)
    {
        Interlocked.Add(ref _bytesReceived, received);
        Interlocked.Add(ref _bytesSent, sent);
    }

    public void ProtocolError() => Interlocked.Increment(ref _protocolErrors);

    public void OutputBufferLimitReached() => Interlocked.Increment(ref _outputBufferLimitDisconnections);
}
