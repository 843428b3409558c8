using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Routing;
using RedisRing.ZooKeeper;

namespace RedisRing.Proxy.Repair;

/// <summary>
/// What every proxy does for a warm-up, leader or not (docs/consistency.md, "Warm-up"): while a
/// job for a node that is joining in this proxy's ring runs, record the keys this proxy writes to
/// it (<see cref="WarmUpTracker"/>); when the job reaches <c>draining</c>, copy those keys again
/// from their first readable copy; acknowledge both under <c>repair/acks/&lt;proxy&gt;</c>.
/// </summary>
internal sealed partial class WarmUpParticipant(Func<ZooKeeperClient?> client, ClusterLayout layout, string proxyName, CurrentRoutingTable routing,
    ILogger<WarmUpParticipant> logger, TimeProvider time)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(200);
    private readonly Dictionary<string, long> _tracking = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _drained = new(StringComparer.Ordinal);
    private byte[]? _ackWritten;
    private volatile IReadOnlyList<RepairJob> _jobs = [];

    /// <summary>The warm-up jobs last read from ZooKeeper (for INFO).</summary>
    public IReadOnlyList<RepairJob> Jobs => _jobs;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (client() is { State: ZooKeeperState.Connected } zk)
                {
                    await StepAsync(zk, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is ZooKeeperException or IOException or TimeoutException or OperationCanceledException)
            {
                LogStepFailed(logger, e.Message);
            }

            await Task.Delay(s_poll, time, stop).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    private async Task StepAsync(ZooKeeperClient zk, CancellationToken stop)
    {
        var jobs = await RepairJobStore.ReadAllAsync(zk, layout, stop);
        _jobs = jobs;
        var byNode = jobs.ToDictionary(j => j.Node.ToString(), StringComparer.Ordinal);
        var table = routing.Value;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (ActiveDrain(table, byNode) is var (leaving, drain))
        {
            // A drain gives the leaving node's keys to their future owners: every other node may
            // be one (the write path records only keys for which it is a write-only copy).
            var name = table.Backends[leaving].Endpoint.Address;
            seen.Add(name);
            var others = table.Backends.Where((_, i) => i != leaving).ToList();
            foreach (var node in others)
            {
                node.WarmUp.Track(drain.Generation);
            }

            table.Backends[leaving].WarmUp.Stop();
            _tracking[name] = others.Any(n => n.WarmUp.Overflowed) ? -drain.Generation : drain.Generation;
            if (drain.Phase == RepairPhase.Draining && _tracking[name] > 0 && _drained.GetValueOrDefault(name) != drain.Generation)
            {
                long copied = 0;
                foreach (var node in others)
                {
                    var count = await DrainAsync(node, drain.Generation, stop);
                    copied = count < 0 || copied < 0 ? -1 : copied + count;
                }

                if (copied >= 0)
                {
                    _drained[name] = drain.Generation;
                    LogDrained(logger, name, drain.Generation, copied);
                }
            }
        }
        else
        {
            for (var i = 0; i < table.Backends.Count; i++)
            {
                var node = table.Backends[i];
                var name = node.Endpoint.Address;
                if (table.NodeStates[i] != NodeState.Joining || !byNode.TryGetValue(name, out var job) || !job.IsRunning || job.RunId != node.ExpectedRunId)
                {
                    node.WarmUp.Stop();
                    continue;
                }

                seen.Add(name);
                node.WarmUp.Track(job.Generation);
                // An overflow is reported as the generation negated: the repairer starts a new one.
                _tracking[name] = node.WarmUp.Overflowed ? -job.Generation : job.Generation;
                if (job.Phase == RepairPhase.Draining && !node.WarmUp.Overflowed && _drained.GetValueOrDefault(name) != job.Generation)
                {
                    var copied = await DrainAsync(node, job.Generation, stop);
                    if (copied >= 0)
                    {
                        _drained[name] = job.Generation;
                        LogDrained(logger, name, job.Generation, copied);
                    }
                }
            }
        }

        foreach (var name in _tracking.Keys.Where(n => !seen.Contains(n)).ToList())
        {
            _tracking.Remove(name);
            _drained.Remove(name);
        }

        await WriteAckAsync(zk, stop);
    }

    /// <summary>The running drain job of a node that is leaving in this proxy's ring, if any (one at a time: the repairer runs no warm-up beside it).</summary>
    private static (int Leaving, RepairJob Job)? ActiveDrain(RoutingTable table, Dictionary<string, RepairJob> jobs)
    {
        for (var i = 0; i < table.Backends.Count; i++)
        {
            if (table.NodeStates[i] == NodeState.Leaving && jobs.TryGetValue(table.Backends[i].Endpoint.Address, out var job) && job.IsRunning)
            {
                return (i, job);
            }
        }

        return null;
    }

    /// <summary>Copies the tracked keys again until a pass finds none written meanwhile; -1 when the tracker overflowed.</summary>
    private async Task<long> DrainAsync(BackendNode node, long generation, CancellationToken stop)
    {
        long copied = 0;
        while (!stop.IsCancellationRequested)
        {
            var keys = node.WarmUp.TakeForDrain(generation);
            if (node.WarmUp.Overflowed || node.WarmUp.Generation != generation)
            {
                return -1;
            }

            if (keys.Count == 0)
            {
                return copied;
            }

            var failed = new List<byte[]>();
            foreach (var batch in keys.Chunk(128))
            {
                var results = await Task.WhenAll(batch.Select(node.CopyKeyFromReadableCopyAsync));
                for (var k = 0; k < batch.Length; k++)
                {
                    if (results[k] < 0)
                    {
                        failed.Add(batch[k]);
                    }
                    else
                    {
                        copied++;
                    }
                }
            }

            if (failed.Count > 0)
            {
                node.WarmUp.Retry(failed);
                await Task.Delay(s_poll, time, stop);
            }
        }

        return -1;
    }

    private async Task WriteAckAsync(ZooKeeperClient zk, CancellationToken stop)
    {
        var data = new RepairAck(proxyName, new Dictionary<string, long>(_tracking), new Dictionary<string, long>(_drained)).ToJson();
        var path = layout.RepairAck(proxyName);
        var exists = await zk.ExistsAsync(path, cancellationToken: stop);
        if (exists is not null && exists.EphemeralOwner == zk.SessionId && _ackWritten is not null && _ackWritten.AsSpan().SequenceEqual(data))
        {
            return;
        }

        if (exists is null)
        {
            var acl = (await zk.GetAclAsync(layout.RepairAcks, stop)).Acl;
            await zk.CreateAsync(path, data, CreateMode.Ephemeral, acl, cancellationToken: stop);
        }
        else if (exists.EphemeralOwner != zk.SessionId)
        {
            // Left by this proxy's previous session, not yet expired: replace it.
            await zk.DeleteAsync(path, exists.Version, stop);
            return;
        }
        else
        {
            await zk.SetDataAsync(path, data, exists.Version, stop);
        }

        _ackWritten = data;
    }


    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up participation: {Error}; trying again")]
    private static partial void LogStepFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up of {Node} (generation {Generation}): copied again the {Count} keys this proxy wrote during the copy")]
    private static partial void LogDrained(ILogger logger, string node, long generation, long count);
}
