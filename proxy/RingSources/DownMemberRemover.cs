using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.Membership.Watching;
using RedisRing.ZooKeeper;

namespace RedisRing.Proxy.RingSources;

/// <summary>
/// Removes a member that has had no liveness znode for the cluster's <c>downGraceSeconds</c>, so
/// that its keys get new owners (docs/zookeeper.md, "Removal"): it marks the member
/// <c>leaving</c>, so that the repairer drains it (its keys copied to their future owners, which
/// serve no reads of them until then) and deletes it; a leaving member still not live after twice
/// the grace period (no repairer) is deleted here. Absence is counted only while
/// this proxy's own session is connected (cut off from ZooKeeper, it sees nothing) and from
/// when this proxy first saw it; every proxy counts, the first to reach the grace deletes the
/// member, conditional on the version it read, and the others find it gone. Two safety valves
/// keep a systemic event from emptying the ring: nothing is removed while fewer than half of the
/// members are live (a ZooKeeper or network problem, not dead machines), and one member at a
/// time.
/// </summary>
internal sealed partial class DownMemberRemover(ClusterLayout layout, TimeProvider time, ILogger<DownMemberRemover> logger)
{
    private readonly Dictionary<string, (long Since, long CreatedZxid)> _notLive = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _removing;
    private bool _heldBack;

    /// <summary>Members not live now and since when (for INFO), by address.</summary>
    public IReadOnlyDictionary<string, TimeSpan> NotLiveFor()
    {
        lock (_lock)
        {
            return _notLive.ToDictionary(p => p.Key, p => time.GetElapsedTime(p.Value.Since), StringComparer.Ordinal);
        }
    }

    /// <summary>Looks at <paramref name="snapshot"/> again; removes at most one member whose grace is over.</summary>
    public void Check(MembershipSnapshot snapshot, ZooKeeperClient? client)
    {
        NodeRecord? victim = null;
        lock (_lock)
        {
            var grace = (snapshot.Config ?? new RingConfig(2, "{}")).DownGrace;
            if (client is not { State: ZooKeeperState.Connected } || grace is null || snapshot.Version == 0)
            {
                _notLive.Clear();
                return;
            }

            var now = time.GetTimestamp();
            var members = snapshot.Nodes.Where(n => !n.AwaitsFirstRegistration).ToList();
            foreach (var gone in _notLive.Keys.Where(a => !members.Any(m => m.Address.ToString() == a)).ToList())
            {
                _notLive.Remove(gone);
            }

            foreach (var member in members)
            {
                var address = member.Address.ToString();
                var createdZxid = snapshot.ZnodeOf(member.Address).CreatedZxid;
                if (snapshot.IsLive(member))
                {
                    _notLive.Remove(address);
                }
                else if (!_notLive.TryGetValue(address, out var entry) || entry.CreatedZxid != createdZxid)
                {
                    _notLive[address] = (now, createdZxid);
                }
            }

            var live = members.Count(snapshot.IsLive);
            if (live * 2 < members.Count)
            {
                if (!_heldBack && _notLive.Values.Any(v => time.GetElapsedTime(v.Since) >= grace))
                {
                    _heldBack = true;
                    LogHeldBack(logger, live, members.Count);
                }

                return;
            }

            _heldBack = false;
            if (_removing)
            {
                return;
            }

            victim = members
                .Where(m => _notLive.TryGetValue(m.Address.ToString(), out var v) && time.GetElapsedTime(v.Since) >= grace)
                .OrderBy(m => _notLive[m.Address.ToString()].Since)
                .FirstOrDefault();
            if (victim is null)
            {
                return;
            }

            _removing = true;
        }

        var notLiveFor = time.GetElapsedTime(_notLive[victim.Address.ToString()].Since);
        _ = Task.Run(() => RemoveAsync(client!, victim, snapshot.ZnodeOf(victim.Address), snapshot.Config?.DownGraceSeconds ?? RingConfig.DefaultDownGraceSeconds, notLiveFor));
    }

    private async Task RemoveAsync(ZooKeeperClient client, NodeRecord member, MemberZnode znode, int graceSeconds, TimeSpan notLiveFor)
    {
        try
        {
            if (member.State != NodeState.Leaving)
            {
                // Drained first (docs/consistency.md, "Drain"): the owners its keys gain get every
                // write and serve none of them until the repairer copied the keys there, then it
                // deletes the member.
                await client.SetDataAsync(layout.Node(member.Address), member.With(NodeState.Leaving, member.RunId, DownReason(graceSeconds)).ToJson(), znode.Version);
                LogDraining(logger, member.Address.ToString(), member.State.ToJson(), graceSeconds);
                return;
            }

            if (notLiveFor < TimeSpan.FromSeconds(graceSeconds * 2))
            {
                // The repairer drains and deletes it; only without one does the grace run out twice.
                return;
            }

            await client.DeleteAsync(layout.Node(member.Address), znode.Version);
            LogRemoved(logger, member.Address.ToString(), member.State.ToJson(), graceSeconds * 2);
        }
        catch (Exception e) when (e is BadVersionException or NoNodeException)
        {
            // Changed or removed meanwhile (another proxy, the registrar, an operator): look again.
        }
        catch (ZooKeeperException e)
        {
            LogRemoveFailed(logger, member.Address.ToString(), e.Code.ToString());
        }
        finally
        {
            lock (_lock)
            {
                _removing = false;
            }
        }
    }

    /// <summary>The reason written on a member drained because it was down too long (the registrar recognizes it: such a node may join again).</summary>
    public static string DownReason(int graceSeconds) => $"{DownReasonPrefix} {graceSeconds} s: drained before its removal";

    public const string DownReasonPrefix = "not live for";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Member {Node} ({State}) not live for {GraceSeconds} s: now leaving, the repairer copies its keys to their future owners and removes it")]
    private static partial void LogDraining(ILogger logger, string node, string state, int graceSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed member {Node} ({State}) from the ring: not live for {GraceSeconds} s; its keys have new owners")]
    private static partial void LogRemoved(ILogger logger, string node, string state, int graceSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing member {Node} failed ({Error}); trying again")]
    private static partial void LogRemoveFailed(ILogger logger, string node, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Members past their down grace period are kept: only {Live} of {Members} members are live, which looks like a ZooKeeper or network problem rather than dead nodes")]
    private static partial void LogHeldBack(ILogger logger, int live, int members);
}
