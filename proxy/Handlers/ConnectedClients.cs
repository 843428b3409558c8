using System.Collections.Concurrent;

namespace RedisRing.Proxy.Handlers;

/// <summary>One client connection as CLIENT LIST and CLIENT KILL see it (the server's session).</summary>
internal interface IClientConnection
{
    ClientState Client { get; }

    /// <summary>Timestamp (of the context's TimeProvider) of the connection.</summary>
    long ConnectedAt { get; }

    /// <summary>Timestamp (of the context's TimeProvider) of the last request.</summary>
    long LastActivity { get; }

    /// <summary>Closes the connection from outside; true for the call that closed it.</summary>
    bool Abort();
}

/// <summary>The proxy's connected clients by id, kept by the server (added on accept, removed when the session ends).</summary>
internal sealed class ConnectedClients
{
    private readonly ConcurrentDictionary<long, IClientConnection> _byId = new();

    public void Add(IClientConnection connection) => _byId[connection.Client.Id] = connection;

    public void Remove(long id) => _byId.TryRemove(id, out _);

    /// <summary>A snapshot in id order (the order of CLIENT LIST).</summary>
    public IReadOnlyList<IClientConnection> Snapshot() => _byId.Values.OrderBy(c => c.Client.Id).ToArray();
}
