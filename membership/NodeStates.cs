namespace RedisRing.Membership;

/// <summary>The JSON spelling of <see cref="NodeState"/>, and what each state means for placement.</summary>
public static class NodeStates
{
    /// <summary>Reads may be placed on the node: it is up, or leaving (it still holds all its data until it is removed).</summary>
    public static bool ServesReads(this NodeState state) => state is NodeState.Up or NodeState.Leaving;

    /// <summary>
    /// Reads may be placed on this member: it is up, or leaving with the data it had when it
    /// started leaving. A leaving member whose Redis restarted (a new run_id, <see cref="MemberStep.Restarted"/>)
    /// may be empty: its keys are read from their other copies while it drains.
    /// </summary>
    public static bool ServesReads(this NodeRecord member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return member.State == NodeState.Up || (member.State == NodeState.Leaving && member.Reason != MemberStep.Restarted);
    }

    /// <summary>The node is in the ring after the changes under way (up or joining; not leaving): the future owners get every write.</summary>
    public static bool Stays(this NodeState state) => state != NodeState.Leaving;

    public static string ToJson(this NodeState state) => state switch
    {
        NodeState.Joining => "joining",
        NodeState.Up => "up",
        NodeState.Leaving => "leaving",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static bool TryParse(string? text, out NodeState state)
    {
        switch (text)
        {
            case "joining":
                state = NodeState.Joining;
                return true;
            case "up":
                state = NodeState.Up;
                return true;
            case "leaving":
                state = NodeState.Leaving;
                return true;
            default:
                state = default;
                return false;
        }
    }
}
