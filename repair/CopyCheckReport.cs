using RedisRing.Membership;

namespace RedisRing.Repair;

/// <summary>What one pass of <see cref="CopyChecker"/> found; examples are capped, counts are not.</summary>
public sealed class CopyCheckReport
{
    /// <summary>Distinct keys found on any reachable member.</summary>
    public long Keys { get; internal set; }

    /// <summary>Copies an <c>up</c> owner should hold and does not: these are lost redundancy.</summary>
    public long MissingOnUp { get; internal set; }

    /// <summary>Copies a <c>joining</c> owner does not hold yet (expected until it is warmed up).</summary>
    public long MissingOnJoining { get; internal set; }

    /// <summary>Keys whose owners hold different values (type, content or kind of TTL).</summary>
    public long Differing { get; internal set; }

    /// <summary>Copies on a member that does not own the key (left over after a ring change).</summary>
    public long NotOwned { get; internal set; }

    /// <summary>Keys none of whose owners holds a copy (only on members that do not own them).</summary>
    public long NoOwnerCopy { get; internal set; }

    /// <summary>Members that could not be scanned, with the reason; their keys are not counted.</summary>
    public List<(NodeAddress Node, string Error)> Unreachable { get; } = [];

    /// <summary>Up to the example limit: one line per problem found.</summary>
    public List<string> Examples { get; } = [];

    /// <summary>Every key has all its copies on its <c>up</c> owners, all equal, and every member was scanned.</summary>
    public bool Healthy => MissingOnUp == 0 && Differing == 0 && NoOwnerCopy == 0 && Unreachable.Count == 0;
}
