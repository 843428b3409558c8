namespace RedisRing.Proxy.Backends;

/// <summary>
/// What the cluster's membership says about this node's data, and what this proxy reports back.
/// The member record names the run_id its data belongs to; a server that answers with another
/// run_id restarted (maybe empty, maybe from an old file) and is not read by this proxy, whatever
/// ZooKeeper says yet (docs/zookeeper.md, "Identity is the data").
/// </summary>
internal sealed partial class BackendNode
{
    private volatile string? _expectedRunId;

    /// <summary>The run_id of the member's data (null: no member record, a static node list or an initial node not registered yet).</summary>
    public string? ExpectedRunId => _expectedRunId;

    /// <summary>The member znode's creation zxid: a member deleted and created again is another node for this proxy.</summary>
    public long MemberCreatedZxid { get; init; }

    /// <summary>Why the node needs a repair, as reported to the cluster; null when it does not.</summary>
    public string? RepairReason { get; private set; }

    /// <summary>Whether the node serves writes only until repaired.</summary>
    public bool NeedsRepair => _needsRepair;

    /// <summary>
    /// Starts the node needing a repair, before it connects: what this proxy recorded about it
    /// before a restart (a static node list's state file) still holds.
    /// </summary>
    public void StartNeedingRepair(string reason)
    {
        _needsRepair = true;
        RepairReason = reason;
    }

    /// <summary>Told when the node needs a repair, so that the verdict outlives this proxy (ZooKeeper's member record).</summary>
    public IRepairReporter? RepairReporter { get; set; }

    /// <summary>
    /// Sets the run_id the membership expects. When the node is connected with another one, it
    /// needs a repair at once; when the membership moved to the run_id it has, nothing changes
    /// here (the member's state says whether it may be read).
    /// </summary>
    public void ExpectRunId(string? runId)
    {
        _expectedRunId = string.IsNullOrEmpty(runId) ? null : runId;
        if (_expectedRunId is { } expected && RunId is { } actual && actual != expected && IsConnected)
        {
            MarkNeedsRepair($"run_id {actual} differs from the member's {expected}");
        }
    }

    /// <summary>
    /// The membership promoted this node (joining to up) for the data it has now: a repair made it
    /// complete, so this proxy's own verdict and overflowed hints are void; hints collected since
    /// are replayed before it serves reads.
    /// </summary>
    public void AcceptPromotion()
    {
        if (!_needsRepair || RunId is null || RunId != _expectedRunId)
        {
            return;
        }

        _needsRepair = false;
        RepairReason = null;
        Hints.ClearOverflow();
        if (IsConnected)
        {
            _ = Task.Run(CatchUpAsync);
        }
    }

    private void MarkNeedsRepair(string reason)
    {
        _needsRepair = true;
        RepairReason = reason;
        SetState(BackendState.NeedsRepair);
        LogNeedsRepair(_logger, Name, reason);
        RepairReporter?.Report(this, reason);
    }
}
