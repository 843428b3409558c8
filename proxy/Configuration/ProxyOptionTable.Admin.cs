using static RedisRing.Proxy.Configuration.ProxyOptionType;

namespace RedisRing.Proxy.Configuration;

/// <summary>The admin HTTP port: metrics, health, the ring as JSON and the dashboard (docs/metrics.md).</summary>
internal static partial class ProxyOptionTable
{
    private static ProxyOptionDefinition[] Admin() =>
    [
        new()
        {
            Name = "adminListen", Flag = "--admin-listen", Type = Text, ValueName = "HOST:PORT", EnvironmentVariable = "REDISRING_ADMIN_LISTEN",
            Help = "serve /metrics, /healthz, /api/ring and the dashboard over HTTP here; default: off",
            Set = static (o, v) => o with { Admin = o.Admin with { Listen = ProxyOptionParsers.EndPoint(v.Text) } },
        },
        new()
        {
            // The admin port has no authentication: anyone who reaches it reads the ring and its metrics.
            Name = "adminAllowRemote", Flag = "--admin-allow-remote", Type = Text, ValueName = "yes|no", Default = "no",
            Help = "accept a non-loopback admin-listen address (the admin port has no authentication)",
            Set = static (o, v) => o with { Admin = o.Admin with { AllowRemote = ProxyOptionParsers.YesNo("adminAllowRemote", v.Text) } },
        },
    ];
}
