namespace RedisRing.Membership.Tests;

/// <summary>The member step of registration, row by row of the table in docs/zookeeper.md ("Registrar").</summary>
public sealed class MemberStepTests
{
    private static readonly NodeAddress Address = new("10.0.0.1", 6379);

    [Fact]
    public void No_member_creates_a_joining_new_node()
    {
        var next = MemberStep.Decide(null, Address, 2, "run-a", keys: 0);
        Assert.Equal(new NodeRecord(Address, 2, NodeState.Joining, "run-a", MemberStep.NewNode), next);
    }

    [Theory]
    [InlineData(NodeState.Up)]
    [InlineData(NodeState.Joining)]
    [InlineData(NodeState.Leaving)]
    public void Same_run_id_writes_nothing_whatever_the_state(NodeState state) =>
        Assert.Null(MemberStep.Decide(new NodeRecord(Address, 1, state, "run-a"), Address, 1, "run-a", keys: 5));

    [Fact]
    public void Initial_node_with_an_empty_dataset_stays_up_with_its_run_id()
    {
        var next = MemberStep.Decide(new NodeRecord(Address, 1, NodeState.Up, ""), Address, 1, "run-a", keys: 0);
        Assert.Equal((NodeState.Up, "run-a", MemberStep.FirstRegistration), (next!.State, next.RunId, next.Reason));
    }

    [Fact]
    public void Initial_node_that_holds_keys_joins()
    {
        var next = MemberStep.Decide(new NodeRecord(Address, 1, NodeState.Up, ""), Address, 1, "run-a", keys: 1);
        Assert.Equal((NodeState.Joining, "run-a", MemberStep.InitialNodeHeldKeys), (next!.State, next.RunId, next.Reason));
    }

    [Theory]
    [InlineData(NodeState.Up, NodeState.Joining)]
    [InlineData(NodeState.Joining, NodeState.Joining)]
    [InlineData(NodeState.Leaving, NodeState.Leaving)]
    public void A_new_run_id_is_a_restart_and_joins_unless_leaving(NodeState before, NodeState after)
    {
        var next = MemberStep.Decide(new NodeRecord(Address, 4, before, "run-a"), Address, 1, "run-b", keys: 0);
        Assert.Equal((after, "run-b", MemberStep.Restarted, 4), (next!.State, next.RunId, next.Reason, next.Weight));
    }

    [Fact]
    public void The_initial_node_privilege_is_used_once()
    {
        var first = MemberStep.Decide(new NodeRecord(Address, 1, NodeState.Up, ""), Address, 1, "run-a", keys: 0)!;
        Assert.False(first.AwaitsFirstRegistration);
        var restartedEmpty = MemberStep.Decide(first, Address, 1, "run-b", keys: 0)!;
        Assert.Equal(NodeState.Joining, restartedEmpty.State);
    }

    [Fact]
    public void A_leaving_member_serves_reads_until_its_Redis_restarts_with_another_run_id()
    {
        var leaving = new NodeRecord(Address, 1, NodeState.Leaving, "run-a", "draining on the registrar's request");
        Assert.True(leaving.ServesReads());
        Assert.True(new NodeRecord(Address, 1, NodeState.Up, "run-a").ServesReads());
        Assert.False(new NodeRecord(Address, 1, NodeState.Joining, "run-a").ServesReads());

        // Restarted while leaving: maybe empty, so its keys are read from their other copies.
        var restarted = MemberStep.Decide(leaving, Address, 1, "run-b", keys: 0)!;
        Assert.Equal(NodeState.Leaving, restarted.State);
        Assert.False(restarted.ServesReads());
        Assert.False(restarted.State.Stays());
    }
}
