namespace RedisRing.Membership;

/// <summary>An operator change of a member (promotion, removal) that cannot be applied: no such member, wrong state, bad data, changed meanwhile.</summary>
public sealed class MemberChangeException(string message) : InvalidOperationException(message);
