namespace RedisRing.Membership;

/// <summary>The JSON spelling of <see cref="NodeState"/>.</summary>
public static class NodeStates
{
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
