namespace RedisRing.Proxy.Handlers;

/// <summary>A command over every node failed; the message is the RESP error the client gets.</summary>
internal sealed class AllNodesException(string message) : Exception(message);
