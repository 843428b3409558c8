using static RedisRing.Proxy.Configuration.ProxyOptionType;

namespace RedisRing.Proxy.Configuration;

/// <summary>
/// The output buffer limit of a subscribed client (Redis: <c>client-output-buffer-limit pubsub
/// 32mb 8mb 60</c>): messages the proxy queued for it and its socket did not take yet.
/// </summary>
internal static partial class ProxyOptionTable
{
    private static ProxyOptionDefinition[] PubSub() =>
    [
        new()
        {
            Name = "pubSubOutputHardLimit", Flag = "--pubsub-output-hard-limit", Type = LongInteger, ValueName = "N", Default = "33554432",
            Help = "close a subscriber holding more unsent message bytes; 0 = no limit", Check = ProxyOptionChecks.NotNegative,
            Set = static (o, v) => o with { PubSubOutputHardLimit = v.Number },
        },
        new()
        {
            Name = "pubSubOutputSoftLimit", Flag = "--pubsub-output-soft-limit", Type = LongInteger, ValueName = "N", Default = "8388608",
            Help = "close a subscriber holding more unsent message bytes for the soft time; 0 = no limit", Check = ProxyOptionChecks.NotNegative,
            Set = static (o, v) => o with { PubSubOutputSoftLimit = v.Number },
        },
        new()
        {
            Name = "pubSubOutputSoftSeconds", Flag = "--pubsub-output-soft-s", Type = Integer, ValueName = "N", Default = "60",
            Help = "how long a subscriber may stay over the soft limit", Check = ProxyOptionChecks.NotNegative,
            Set = static (o, v) => o with { PubSubOutputSoftTime = TimeSpan.FromSeconds(v.Number) },
        },
    ];
}
