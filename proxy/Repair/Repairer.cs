using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Routing;
using RedisRing.ZooKeeper;
using RedisRing.ZooKeeper.Recipes;

namespace RedisRing.Proxy.Repair;

/// <summary>
/// The cluster's one repairer (docs/consistency.md, "Warm-up"): proxies whose <c>repair</c> mode
/// is not <c>off</c> stand in a leader election under <c>repair/leader/</c>; the leader drives a
/// job per joining node through tracking, copying (<see cref="WarmUpCopy"/>), draining and
/// promotion, writing every step and its checkpoint to <c>repair/jobs/</c> so that a leader
/// killed mid-way is followed by another that resumes there.
/// </summary>
internal sealed partial class Repairer(Func<ZooKeeperClient?> client, ClusterLayout layout, string proxyName, CurrentRoutingTable routing,
    ProxyOptions options, ILoggerFactory loggerFactory, TimeProvider time)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(250);
    private readonly ILogger _logger = loggerFactory.CreateLogger<Repairer>();
    private readonly Dictionary<(string Node, long Generation), long> _allTrackingSince = [];
    private LeaderElection? _election;
    private long _lastPassEnded;
    private long _lastPassRingVersion;

    /// <summary>What the anti-entropy passes of this proxy found and did.</summary>
    public AntiEntropyReport AntiEntropy { get; } = new();

    /// <summary>leader, candidate, or off (INFO).</summary>
    public string Role => options.Repair == RepairMode.Off ? "off" : _election?.IsLeader == true ? "leader" : "candidate";

    public async Task RunAsync(CancellationToken stop)
    {
        if (options.Repair == RepairMode.Off)
        {
            return;
        }

        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (client() is { State: ZooKeeperState.Connected } zk)
                    {
                        _election ??= LeaderElection.Start(zk, layout.RepairLeader, System.Text.Encoding.UTF8.GetBytes(proxyName), loggerFactory);
                        if (_election.IsLeader)
                        {
                            if (await LeadAsync(zk, stop) == 0)
                            {
                                await AntiEntropyIfDueAsync(stop);
                            }
                        }
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is ZooKeeperException or IOException or TimeoutException or OperationCanceledException or RepairException)
                {
                    LogStepFailed(_logger, e.Message);
                }

                await Task.Delay(s_poll, time, stop).ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }
        finally
        {
            if (_election is not null)
            {
                await _election.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Anti-entropy runs only between warm-ups (a warm-up changes ownership when it ends): once per
    /// interval, measured from the end of the last pass, and at once after the ring changed (a
    /// member removed gives keys new owners that must get their copy: re-replication).
    /// </summary>
    private async Task AntiEntropyIfDueAsync(CancellationToken stop)
    {
        var ringChanged = routing.Value.Version != _lastPassRingVersion;
        if (options.AntiEntropyInterval <= TimeSpan.Zero
            || (_lastPassEnded != 0 && !ringChanged && time.GetElapsedTime(_lastPassEnded) < options.AntiEntropyInterval))
        {
            return;
        }

        _lastPassRingVersion = routing.Value.Version;

        try
        {
            await new AntiEntropyPass(routing, options, time, AntiEntropy, _logger, () => _election?.IsLeader == true).RunAsync(stop);
            AntiEntropy.LastError = string.Empty;
        }
        catch (RepairException e)
        {
            AntiEntropy.LastError = e.Message;
            throw;
        }
        finally
        {
            _lastPassEnded = time.GetTimestamp();
        }
    }

    /// <summary>One round as the leader: every joining member's job one step further. Returns the jobs still running.</summary>
    private async Task<int> LeadAsync(ZooKeeperClient zk, CancellationToken stop)
    {
        var running = 0;
        var members = await ReadMembersAsync(zk, stop);
        var jobs = (await RepairJobStore.ReadAllAsync(zk, layout, stop)).ToDictionary(j => j.Node.ToString(), StringComparer.Ordinal);
        foreach (var (name, job) in jobs)
        {
            if (!members.TryGetValue(name, out var member))
            {
                // The member left the ring: nothing to fill.
                await DeleteJobAsync(zk, job.Node, stop);
            }
            else if (member.Record.State == NodeState.Up && job.Phase != RepairPhase.Done)
            {
                // Promoted by an operator meanwhile.
                await WriteJobAsync(zk, job with { Phase = RepairPhase.Done, Note = "promoted by an operator" }, stop);
            }
        }

        // A drain runs alone (its proxies track writes on every node): it starts once no warm-up
        // is running, and no warm-up starts while it runs.
        var joiningRunning = members.Any(m => m.Value.Record.State == NodeState.Joining && jobs.TryGetValue(m.Key, out var j) && j.IsRunning && j.RunId == m.Value.Record.RunId);
        var leaving = members.Where(m => m.Value.Record.State == NodeState.Leaving).OrderBy(m => m.Key, StringComparer.Ordinal).FirstOrDefault();
        if (leaving.Key is not null && !joiningRunning)
        {
            jobs.TryGetValue(leaving.Key, out var drain);
            if (drain is null || drain.RunId != leaving.Value.Record.RunId || !drain.IsRunning)
            {
                await StartGenerationAsync(zk, leaving.Value.Record, (drain?.Generation ?? 0) + 1, "draining before its removal", stop);
            }
            else
            {
                await StepAsync(zk, drain, leaving.Value, stop);
            }

            return running + 1;
        }

        foreach (var (name, member) in members)
        {
            if (member.Record.State != NodeState.Joining || member.Record.RunId.Length == 0 || !_election!.IsLeader)
            {
                continue;
            }

            var live = await ReadLivenessAsync(zk, member.Record.Address, stop);
            jobs.TryGetValue(name, out var job);
            if (live?.RunId != member.Record.RunId)
            {
                // Its Redis is down or restarted: a job for its run_id waits (a new run_id gets a new generation).
                continue;
            }

            running++;
            if (job is null || job.RunId != member.Record.RunId || job.Phase == RepairPhase.Done)
            {
                await StartGenerationAsync(zk, member.Record, (job?.Generation ?? 0) + 1, job is null ? "joining" : job.RunId != member.Record.RunId ? "the node restarted" : "joining again", stop);
                continue;
            }

            if (job.Phase == RepairPhase.Ready)
            {
                // Complete, waiting for an operator: anti-entropy may run meanwhile.
                running--;
                continue;
            }

            await StepAsync(zk, job, member, stop);
        }

        return running;
    }

    private async Task StepAsync(ZooKeeperClient zk, RepairJob job, (NodeRecord Record, int Version) member, CancellationToken stop)
    {
        var name = job.Node.ToString();
        switch (job.Phase)
        {
            case RepairPhase.Tracking:
            {
                var (acks, proxies) = await ReadAcksAsync(zk, stop);
                if (acks.Any(a => a.Tracking.GetValueOrDefault(name) == -job.Generation))
                {
                    await StartGenerationAsync(zk, member.Record, job.Generation + 1, "a proxy could not track every write", stop);
                    return;
                }

                var missing = proxies.Where(p => acks.FirstOrDefault(a => a.Proxy == p)?.Tracking.GetValueOrDefault(name) != job.Generation).ToList();
                if (missing.Count > 0)
                {
                    await NoteAsync(zk, job, "waiting for proxies to track writes: " + string.Join(", ", missing), stop);
                    return;
                }

                // Every proxy records its writes now; a write dispatched before that has reached
                // both copies or failed (and been hinted) within the command timeout.
                var since = _allTrackingSince.TryGetValue((name, job.Generation), out var at) ? at : _allTrackingSince[(name, job.Generation)] = time.GetTimestamp();
                if (time.GetElapsedTime(since) < options.SettleTime)
                {
                    return;
                }

                LogCopyStarting(_logger, name, job.Generation, proxies.Count);
                await WriteJobAsync(zk, job with { Phase = RepairPhase.Copying, Note = string.Empty }, stop);
                return;
            }

            case RepairPhase.Copying:
            {
                var copy = new WarmUpCopy(routing, options, time, checkpoint: j => WriteJobAsync(zk, j, stop));
                var done = await copy.RunAsync(job with { Repairer = proxyName }, stop);
                LogCopied(_logger, name, job.Generation, done.Copied, done.Bytes, done.KeysPerSecond);
                await WriteJobAsync(zk, done with { Phase = RepairPhase.Draining, Note = "every proxy copies again the keys it wrote meanwhile" }, stop);
                return;
            }

            case RepairPhase.Draining:
            {
                var (acks, proxies) = await ReadAcksAsync(zk, stop);
                if (acks.Any(a => a.Tracking.GetValueOrDefault(name) == -job.Generation))
                {
                    await StartGenerationAsync(zk, member.Record, job.Generation + 1, "a proxy could not track every write", stop);
                    return;
                }

                var missing = proxies.Where(p => acks.FirstOrDefault(a => a.Proxy == p)?.Drained.GetValueOrDefault(name) != job.Generation).ToList();
                if (missing.Count > 0)
                {
                    await NoteAsync(zk, job, "waiting for proxies to drain: " + string.Join(", ", missing), stop);
                    return;
                }

                if (member.Record.State == NodeState.Leaving)
                {
                    // Every key of the leaving node is on its future owners: reads may move.
                    try
                    {
                        await zk.DeleteAsync(layout.Node(job.Node), member.Version, stop);
                    }
                    catch (BadVersionException)
                    {
                        return;
                    }

                    LogDrainedAndRemoved(_logger, name, job.Copied);
                    await WriteJobAsync(zk, job with { Phase = RepairPhase.Done, Note = $"drained ({job.Copied} copies made) and removed" }, stop);
                    return;
                }

                if (options.Repair == RepairMode.Manual)
                {
                    await WriteJobAsync(zk, job with { Phase = RepairPhase.Ready, Note = "complete: promote it (redisring-registrar promote)" }, stop);
                    return;
                }

                var reason = $"warmed up by the repairer ({job.Copied} keys copied)";
                try
                {
                    await zk.SetDataAsync(layout.Node(job.Node), member.Record.With(NodeState.Up, job.RunId, reason).ToJson(), member.Version, stop);
                }
                catch (BadVersionException)
                {
                    // The member changed meanwhile (a restart): the next round looks again.
                    return;
                }

                LogPromoted(_logger, name, job.RunId, job.Copied, TimeSpan.FromMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds() - job.StartedMs));
                await WriteJobAsync(zk, job with { Phase = RepairPhase.Done, Note = reason }, stop);
                return;
            }
        }
    }

    private async Task StartGenerationAsync(ZooKeeperClient zk, NodeRecord member, long generation, string why, CancellationToken stop)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        LogGeneration(_logger, member.Address.ToString(), generation, member.RunId, why);
        await WriteJobAsync(zk, new RepairJob(member.Address, member.RunId, generation, RepairPhase.Tracking) { StartedMs = now, Note = why }, stop);
    }

    private async Task NoteAsync(ZooKeeperClient zk, RepairJob job, string note, CancellationToken stop)
    {
        if (job.Note != note)
        {
            await WriteJobAsync(zk, job with { Note = note }, stop);
        }
    }

    private async Task WriteJobAsync(ZooKeeperClient zk, RepairJob job, CancellationToken stop)
    {
        if (!(_election?.IsLeader ?? false))
        {
            throw new RepairException("no longer the repairer");
        }

        var data = (job with { Repairer = proxyName, UpdatedMs = time.GetUtcNow().ToUnixTimeMilliseconds() }).ToJson();
        var path = layout.RepairJob(job.Node);
        try
        {
            await zk.SetDataAsync(path, data, cancellationToken: stop);
        }
        catch (NoNodeException)
        {
            var acl = (await zk.GetAclAsync(layout.RepairJobs, stop)).Acl;
            await zk.CreateAsync(path, data, CreateMode.Persistent, acl, cancellationToken: stop);
        }
    }

    private async Task DeleteJobAsync(ZooKeeperClient zk, NodeAddress node, CancellationToken stop)
    {
        try
        {
            await zk.DeleteAsync(layout.RepairJob(node), cancellationToken: stop);
        }
        catch (NoNodeException)
        {
        }
    }

    private async Task<Dictionary<string, (NodeRecord Record, int Version)>> ReadMembersAsync(ZooKeeperClient zk, CancellationToken stop)
    {
        var result = new Dictionary<string, (NodeRecord, int)>(StringComparer.Ordinal);
        foreach (var child in (await zk.GetChildrenAsync(layout.Nodes, cancellationToken: stop)).Children)
        {
            try
            {
                var data = await zk.GetDataAsync(layout.Nodes + "/" + child, cancellationToken: stop);
                if (NodeRecord.TryParse(child, data.Data, out var record, out _))
                {
                    result[child] = (record, data.Stat.Version);
                }
            }
            catch (NoNodeException)
            {
            }
        }

        return result;
    }

    private async Task<LivenessRecord?> ReadLivenessAsync(ZooKeeperClient zk, NodeAddress address, CancellationToken stop)
    {
        try
        {
            var data = await zk.GetDataAsync(layout.Liveness(address), cancellationToken: stop);
            return LivenessRecord.TryParse(address.ToString(), data.Data, out var live, out _) ? live : null;
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    /// <summary>Every proxy's acknowledgement, and the proxies announced under <c>proxies/</c> (all of which must acknowledge).</summary>
    private async Task<(List<RepairAck> Acks, List<string> Proxies)> ReadAcksAsync(ZooKeeperClient zk, CancellationToken stop)
    {
        var proxies = (await zk.GetChildrenAsync(layout.Proxies, cancellationToken: stop)).Children.ToList();
        var acks = new List<RepairAck>();
        foreach (var child in (await zk.GetChildrenAsync(layout.RepairAcks, cancellationToken: stop)).Children)
        {
            try
            {
                var data = await zk.GetDataAsync(layout.RepairAck(child), cancellationToken: stop);
                if (RepairAck.TryParse(data.Data, out var ack) && ack.Proxy == child)
                {
                    acks.Add(ack);
                }
            }
            catch (NoNodeException)
            {
            }
        }

        return (acks, proxies);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Repairer: {Error}; trying again")]
    private static partial void LogStepFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up of {Node}: generation {Generation} for run_id {RunId} ({Why})")]
    private static partial void LogGeneration(ILogger logger, string node, long generation, string runId, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up of {Node} (generation {Generation}): all {Proxies} proxies track their writes; copying")]
    private static partial void LogCopyStarting(ILogger logger, string node, long generation, int proxies);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up of {Node} (generation {Generation}): copied {Keys} keys, {Bytes} bytes, {Rate:F0} keys/s")]
    private static partial void LogCopied(ILogger logger, string node, long generation, long keys, long bytes, double rate);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained {Node}: {Keys} copies made on the future owners of its keys; member removed")]
    private static partial void LogDrainedAndRemoved(ILogger logger, string node, long keys);

    [LoggerMessage(Level = LogLevel.Information, Message = "Promoted {Node} (run_id {RunId}) after its warm-up: {Keys} keys copied in {Elapsed}")]
    private static partial void LogPromoted(ILogger logger, string node, string runId, long keys, TimeSpan elapsed);
}
