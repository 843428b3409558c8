namespace RedisRing.Proxy.Transactions;

/// <summary>
/// Where the reply to one queued command comes from at EXEC: the nodes' EXEC reply, or the proxy
/// itself for the keyless commands it answers (PING, ECHO, TIME, UNWATCH).
/// </summary>
internal readonly record struct QueuedReply(QueuedReplyKind Kind, byte[]? Fixed)
{
    public static QueuedReply Remote { get; } = new(QueuedReplyKind.Remote, null);
}

internal enum QueuedReplyKind : byte
{
    /// <summary>The command runs on the nodes; its reply is the next element of their EXEC reply.</summary>
    Remote,

    /// <summary>A reply the proxy wrote when the command was queued (PING, ECHO, UNWATCH).</summary>
    Fixed,

    /// <summary>TIME: the proxy's clock when EXEC runs.</summary>
    Time,
}
