namespace RedisRing.Proxy.PubSub;

/// <summary>The three kinds of subscription Redis keeps apart: channels, patterns and shard channels.</summary>
internal enum PubSubKind
{
    /// <summary>SUBSCRIBE / PUBLISH: a channel placed on the ring like a key.</summary>
    Channel,

    /// <summary>PSUBSCRIBE: a glob pattern, subscribed on every node (a message may be published on any).</summary>
    Pattern,

    /// <summary>SSUBSCRIBE / SPUBLISH: a shard channel, placed like a channel, its own namespace in Redis.</summary>
    Shard,
}

/// <summary>The command and reply words of each kind.</summary>
internal static class PubSubKinds
{
    public const int Count = 3;

    public static readonly PubSubKind[] All = [PubSubKind.Channel, PubSubKind.Pattern, PubSubKind.Shard];

    public static string SubscribeCommand(PubSubKind kind) => kind switch
    {
        PubSubKind.Channel => "SUBSCRIBE",
        PubSubKind.Pattern => "PSUBSCRIBE",
        _ => "SSUBSCRIBE",
    };

    public static string UnsubscribeCommand(PubSubKind kind) => kind switch
    {
        PubSubKind.Channel => "UNSUBSCRIBE",
        PubSubKind.Pattern => "PUNSUBSCRIBE",
        _ => "SUNSUBSCRIBE",
    };

    /// <summary>The first element of a confirmation, as Redis writes it.</summary>
    public static string SubscribeReply(PubSubKind kind) => SubscribeCommand(kind).ToLowerInvariant();

    public static string UnsubscribeReply(PubSubKind kind) => UnsubscribeCommand(kind).ToLowerInvariant();
}
