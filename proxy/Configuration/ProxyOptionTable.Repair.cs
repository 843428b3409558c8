using static RedisRing.Proxy.Configuration.ProxyOptionType;

namespace RedisRing.Proxy.Configuration;

/// <summary>How this proxy takes part in warm-ups (ZooKeeper mode; docs/consistency.md, "Warm-up").</summary>
internal static partial class ProxyOptionTable
{
    private static ProxyOptionDefinition[] Repair() =>
    [
        new()
        {
            Name = "repair", Flag = "--repair", Type = Text, ValueName = "auto|manual|off", Default = "auto",
            Help = "as a repairer candidate: warm up joining nodes and promote them (auto), warm up only (manual), or never lead (off)",
            Set = static (o, v) => o with { Repair = ProxyOptionParsers.RepairMode(v.Text) },
        },
        new()
        {
            Name = "repairKeysPerSecond", Flag = "--repair-rate", Type = Integer, ValueName = "N", Default = "20000",
            Help = "most keys per second a warm-up copies", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { RepairKeysPerSecond = v.Int32 },
        },
        new()
        {
            Name = "antiEntropyIntervalSeconds", Flag = "--anti-entropy-interval-s", Type = Integer, ValueName = "N", Default = "60",
            Help = "the repairer compares every key's copies and trims copies no longer owned this often (0: never)", Check = ProxyOptionChecks.NotNegative,
            Set = static (o, v) => o with { AntiEntropyInterval = TimeSpan.FromSeconds(v.Number) },
        },
        new()
        {
            Name = "trimGraceSeconds", Flag = "--trim-grace-s", Type = Integer, ValueName = "N", Default = "60",
            Help = "a copy a node no longer owns is deleted only once the ring has not changed for this long", Check = ProxyOptionChecks.NotNegative,
            Set = static (o, v) => o with { TrimGrace = TimeSpan.FromSeconds(v.Number) },
        },
        new()
        {
            Name = "maxWarmUpTrackedKeys", Flag = "--max-warm-up-keys", Type = Integer, ValueName = "N", Default = "1000000",
            Help = "keys written during a warm-up this proxy remembers per node before the warm-up restarts", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { MaxWarmUpTrackedKeys = v.Int32 },
        },
    ];
}
