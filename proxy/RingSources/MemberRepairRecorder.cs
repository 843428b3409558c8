using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.Proxy.Backends;
using RedisRing.ZooKeeper;

namespace RedisRing.Proxy.RingSources;

/// <summary>
/// Records a proxy's "needs repair" verdict in the node's member record, so that every proxy,
/// and this one after a restart, stops reading the node, even when its registrar is down or cut
/// off from ZooKeeper: an <c>up</c> member becomes <c>joining</c> with the reason, conditional on
/// the version read. When the node answers with the member's run_id (it missed writes), the
/// run_id stays; when it answers with another one while the member still names the run_id this
/// proxy expected (it restarted), the member takes the run_id the node has now, as its registrar
/// would. A member that is not <c>up</c> is already not read; one whose run_id is neither was
/// changed by someone who knows more, and is left alone.
/// </summary>
internal sealed partial class MemberRepairRecorder(Func<ZooKeeperClient?> client, ClusterLayout layout, string proxyName, ILogger<MemberRepairRecorder> logger) : IRepairReporter
{
    private const int Attempts = 5;
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(500);

    public void Report(BackendNode node, string reason)
    {
        if (NodeAddress.TryParse(node.Endpoint.Address, out var address, out _) && node.RunId is { } runId)
        {
            var expected = node.ExpectedRunId;
            _ = Task.Run(() => RecordAsync(address, runId, expected, $"{reason} (seen by proxy {proxyName})"));
        }
    }

    /// <param name="address">The node.</param>
    /// <param name="runId">The run_id the node answered with.</param>
    /// <param name="expectedRunId">The member's run_id as this proxy last knew it.</param>
    /// <param name="reason">Why the node needs a repair.</param>
    /// <returns>Whether the member now says what this proxy found (written here, or already not up).</returns>
    public async Task<bool> RecordAsync(NodeAddress address, string runId, string? expectedRunId, string reason)
    {
        var path = layout.Node(address);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            try
            {
                if (client() is not { State: ZooKeeperState.Connected } zooKeeper)
                {
                    throw new ConnectionLossException();
                }

                var read = await zooKeeper.GetDataAsync(path);
                if (!NodeRecord.TryParse(address.ToString(), read.Data, out var member, out _) || member.State != NodeState.Up
                    || (member.RunId != runId && member.RunId != expectedRunId))
                {
                    return true;
                }

                await zooKeeper.SetDataAsync(path, member.With(NodeState.Joining, runId, reason).ToJson(), read.Stat.Version);
                LogRecorded(logger, address.ToString(), reason);
                return true;
            }
            catch (NoNodeException)
            {
                return true;
            }
            catch (ZooKeeperException e)
            {
                LogRetrying(logger, address.ToString(), e.Code.ToString());
                await Task.Delay(s_retryDelay);
            }
        }

        LogGaveUp(logger, address.ToString(), reason);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Member {Node} recorded as joining in ZooKeeper: {Reason}")]
    private static partial void LogRecorded(ILogger logger, string node, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording that member {Node} needs repair failed ({Error}); retrying")]
    private static partial void LogRetrying(ILogger logger, string node, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record that member {Node} needs repair ({Reason}); this proxy still does not read it, other proxies may")]
    private static partial void LogGaveUp(ILogger logger, string node, string reason);
}
