using static RedisRing.Proxy.Configuration.ProxyOptionType;

namespace RedisRing.Proxy.Configuration;

/// <summary>Timeouts and the bounds on clients, queues and hints.</summary>
internal static partial class ProxyOptionTable
{
    private static ProxyOptionDefinition[] Timeouts() =>
    [
        new()
        {
            Name = "connectTimeoutMs", Flag = "--connect-timeout-ms", Type = Integer, ValueName = "N", Default = "1000",
            Help = "backend connect timeout", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { ConnectTimeout = TimeSpan.FromMilliseconds(v.Number) },
        },
        new()
        {
            Name = "commandTimeoutMs", Flag = "--command-timeout-ms", Type = Integer, ValueName = "N", Default = "30000",
            Help = "a command unanswered this long fails alone; the node stays up", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { CommandTimeout = TimeSpan.FromMilliseconds(v.Number) },
        },
        new()
        {
            Name = "blockingPollMs", Flag = "--blocking-poll-ms", Type = Integer, ValueName = "N", Default = "100",
            Help = "a blocked client (BLPOP, XREAD BLOCK ...) looks for data this often besides the wake-ups of this proxy's writes", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { BlockingPollInterval = TimeSpan.FromMilliseconds(v.Number) },
        },
        new()
        {
            Name = "livenessTimeoutMs", Flag = "--liveness-timeout-ms", Type = Integer, ValueName = "N", Default = "1000",
            Help = "a node silent while owing replies and deaf to PING this long is down", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { LivenessTimeout = TimeSpan.FromMilliseconds(v.Number) },
        },
        new()
        {
            Name = "longCommandLivenessTimeoutMs", Flag = "--long-command-liveness-timeout-ms", Type = Integer, ValueName = "N", Default = "6000",
            Help = "the same while a script or other long command runs", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { LongCommandLivenessTimeout = TimeSpan.FromMilliseconds(v.Number) },
        },
        new()
        {
            Name = "clientIdleTimeoutSeconds", Flag = "--client-idle-timeout-s", Type = Integer, ValueName = "N", Default = "0",
            Help = "close idle clients after N seconds; 0 = never", Check = ProxyOptionChecks.NotNegative,
            Set = static (o, v) => o with { ClientIdleTimeout = TimeSpan.FromSeconds(v.Number) },
        },
        new()
        {
            Name = "authTimeoutSeconds", Flag = "--auth-timeout-s", Type = Integer, ValueName = "N", Default = "10",
            Help = "with a password, close clients not authenticated N seconds after connecting; 0 = never", Check = ProxyOptionChecks.NotNegative,
            Set = static (o, v) => o with { AuthTimeout = TimeSpan.FromSeconds(v.Number) },
        },
        new()
        {
            Name = "maxClients", Flag = "--max-clients", Type = Integer, ValueName = "N", Default = "10000",
            Help = "most client connections at once", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { MaxClients = v.Int32 },
        },
        new()
        {
            Name = "maxPendingPerBackend", Flag = "--max-pending-per-backend", Type = Integer, ValueName = "N", Default = "100000",
            Help = "commands queued on one backend connection", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { MaxPendingPerBackend = v.Int32 },
        },
        new()
        {
            Name = "maxPipelinePerClient", Flag = "--max-pipeline", Type = Integer, ValueName = "N", Default = "1024",
            Help = "requests of one client in flight", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { MaxPipelinePerClient = v.Int32 },
        },
        new()
        {
            Name = "clientOutputHardLimit", Flag = "--client-output-hard-limit", Type = LongInteger, ValueName = "N", Default = "536870912",
            Help = "close a client holding more unsent reply bytes; 0 = no limit", Check = ProxyOptionChecks.NotNegative,
            Set = static (o, v) => o with { ClientOutputHardLimit = v.Number },
        },
        new()
        {
            Name = "clientOutputSoftLimit", Flag = "--client-output-soft-limit", Type = LongInteger, ValueName = "N", Default = "134217728",
            Help = "close a client holding more unsent reply bytes for the soft time; 0 = no limit", Check = ProxyOptionChecks.NotNegative,
            Set = static (o, v) => o with { ClientOutputSoftLimit = v.Number },
        },
        new()
        {
            Name = "clientOutputSoftSeconds", Flag = "--client-output-soft-s", Type = Integer, ValueName = "N", Default = "60",
            Help = "how long a client may stay over the soft limit", Check = ProxyOptionChecks.NotNegative,
            Set = static (o, v) => o with { ClientOutputSoftTime = TimeSpan.FromSeconds(v.Number) },
        },
        new()
        {
            Name = "maxHintedKeysPerNode", Flag = "--max-hinted-keys", Type = Integer, ValueName = "N", Default = "100000",
            Help = "hinted-handoff keys kept per node", Check = ProxyOptionChecks.NotNegative,
            Set = static (o, v) => o with { MaxHintedKeysPerNode = v.Int32 },
        },
    ];
}
