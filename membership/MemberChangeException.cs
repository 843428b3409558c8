namespace RedisRing.Membership;

/// <summary>An operator promotion that cannot be applied (no such node, not joining, bad data).</summary>
public sealed class PromotionException(string message) : InvalidOperationException(message);
