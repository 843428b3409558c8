namespace RedisRing.Membership;

/// <summary>
/// What a registering node (registrar or patched Redis) writes to its member record before it
/// becomes live (docs/zookeeper.md, "Registrar"): the member's identity is the run_id of its data,
/// so only a new node, a restarted Redis or an initial node that already held keys changes it.
/// Pure, so the rule is tested on its own and the patched Redis follows the same table.
/// </summary>
public static class MemberStep
{
    public const string NewNode = "new node";
    public const string Restarted = "restarted with a new run_id";
    public const string InitialNodeHeldKeys = "initial node held keys at its first registration";
    public const string FirstRegistration = "initial node, first registration";

    /// <summary>The reason of a member an operator drains (<c>redisring-registrar drain</c>): once removed, its registrar does not register it again.</summary>
    public const string DrainedByOperator = "drained by an operator";

    /// <summary>
    /// The record to write for a node whose Redis has <paramref name="runId"/> and holds
    /// <paramref name="keys"/> keys, given the member record read (null: none); null when the
    /// member already fits and nothing is written.
    /// </summary>
    public static NodeRecord? Decide(NodeRecord? current, NodeAddress address, int weight, string runId, long keys)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        if (current is null)
        {
            return new NodeRecord(address, weight, NodeState.Joining, runId, NewNode);
        }

        if (current.RunId == runId)
        {
            return null;
        }

        if (current.AwaitsFirstRegistration)
        {
            return keys == 0
                ? current.With(NodeState.Up, runId, FirstRegistration)
                : current.With(NodeState.Joining, runId, InitialNodeHeldKeys);
        }

        return current.With(current.State == NodeState.Leaving ? NodeState.Leaving : NodeState.Joining, runId, Restarted);
    }
}
