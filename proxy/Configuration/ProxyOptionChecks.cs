namespace RedisRing.Proxy.Configuration;

/// <summary>Rules for Integer settings shared by several entries of <see cref="ProxyOptionTable"/>.</summary>
internal static class ProxyOptionChecks
{
    public static string? Positive(long value) => value > 0 ? null : "must be positive";

    public static string? NotNegative(long value) => value >= 0 ? null : "cannot be negative";
}
