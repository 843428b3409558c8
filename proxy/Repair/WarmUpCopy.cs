using System.Diagnostics;
using RedisRing.Membership;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Routing;
using RedisRing.Resp;

namespace RedisRing.Proxy.Repair;

/// <summary>
/// The copy phase of a warm-up: SCANs every readable node (the sources, in address order) and
/// copies each key the joining node owns in the write ring from the source that is the key's
/// first readable copy (so each key is copied once, from where reads go); for a drain, each key
/// of the leaving node to every future owner that does not serve its reads yet; through
/// <see cref="BackendNode.CopyKeyFromReadableCopyAsync"/> (atomic PTTL + DUMP there, RESTORE REPLACE
/// or DEL on the node). Rate-limited; the checkpoint (source, cursor, sources done, counters) is
/// written after every SCAN page.
/// </summary>
internal sealed class WarmUpCopy(CurrentRoutingTable routing, ProxyOptions options, TimeProvider time, Func<RepairJob, Task> checkpoint)
{
    public async Task<RepairJob> RunAsync(RepairJob job, CancellationToken stop)
    {
        var target = job.Node.ToString();
        var targetIndex0 = routing.Value.IndexOf(target);
        // A leaving node is drained: its keys go to their future owners, and it is a source itself.
        var drain = targetIndex0 >= 0 && routing.Value.NodeStates[targetIndex0] == NodeState.Leaving;
        var sources = ReadableSources(drain ? null : target);
        if (sources.Count == 0)
        {
            throw new RepairException("no readable node to copy from");
        }

        // A checkpoint from another set of sources (one went down or came back) cannot be trusted
        // to cover every key: copy everything again (copying a key twice is harmless).
        if (job.SourcesDone.Any(s => !sources.Contains(s)) || (job.Source.Length > 0 && !sources.Contains(job.Source)))
        {
            job = job with { Source = string.Empty, Cursor = "0", SourcesDone = [] };
        }

        var totalKeys = await CountKeysAsync(sources);
        var started = Stopwatch.StartNew();
        long copiedThisRun = 0, scanned = 0, selected = 0;
        var rateWindow = Stopwatch.StartNew();
        long copiedAtWindow = job.Copied;
        foreach (var sourceName in sources)
        {
            if (job.SourcesDone.Contains(sourceName))
            {
                continue;
            }

            var cursor = job.Source == sourceName ? job.Cursor : "0";
            do
            {
                stop.ThrowIfCancellationRequested();
                var (table, source) = Resolve(target, drain, sourceName);
                var (next, keys) = await NodeScan.PageAsync(source, cursor) ?? throw new RepairException($"SCAN on {sourceName} failed");
                var sourceIndex = table.IndexOf(sourceName);
                var targetIndex = table.IndexOf(target);
                // Each key from the source reads go to, to each copy that takes its writes but
                // serves no reads of it yet: the joining node, or the future owners of a drain.
                var mine = new List<(byte[] Key, BackendNode To)>();
                foreach (var key in keys)
                {
                    var set = table.Locate(key);
                    if (set.Writes.Length == set.Reads.Length || !table.IsFirstReadableCopy(sourceIndex, key))
                    {
                        continue;
                    }

                    for (var c = set.Reads.Length; c < set.Writes.Length; c++)
                    {
                        if (drain || set.Writes[c] == targetIndex)
                        {
                            mine.Add((key, table.Backends[set.Writes[c]]));
                        }
                    }
                }

                scanned += keys.Count;
                selected += mine.Count;
                long bytes = 0;
                foreach (var batch in mine.Chunk(64))
                {
                    var results = await Task.WhenAll(batch.Select(m => m.To.CopyKeyFromReadableCopyAsync(m.Key)));
                    if (results.Any(r => r < 0))
                    {
                        throw new RepairException($"a key could not be copied for {target} (no readable copy answered)");
                    }

                    bytes += results.Sum();
                }

                copiedThisRun += mine.Count;
                cursor = next;
                var estimated = scanned == 0 ? 0 : (long)(totalKeys * (double)selected / scanned);
                if (rateWindow.Elapsed >= TimeSpan.FromSeconds(1))
                {
                    job = job with { KeysPerSecond = (job.Copied + mine.Count - copiedAtWindow) / rateWindow.Elapsed.TotalSeconds };
                    copiedAtWindow = job.Copied + mine.Count;
                    rateWindow.Restart();
                }

                job = job with
                {
                    Source = sourceName,
                    Cursor = cursor,
                    Copied = job.Copied + mine.Count,
                    Bytes = job.Bytes + bytes,
                    Estimated = Math.Max(estimated, job.Copied + mine.Count),
                    Note = $"copying from {sourceName}",
                };
                await checkpoint(job);

                // Throttle: never ahead of the configured rate since this run started.
                var due = TimeSpan.FromSeconds(copiedThisRun / (double)options.RepairKeysPerSecond);
                if (due > started.Elapsed)
                {
                    await Task.Delay(due - started.Elapsed, time, stop);
                }
            }
            while (cursor != "0");

            job = job with { Source = string.Empty, Cursor = "0", SourcesDone = [.. job.SourcesDone, sourceName] };
            await checkpoint(job);
        }

        if (started.Elapsed.TotalSeconds > 0 && job.KeysPerSecond == 0)
        {
            job = job with { KeysPerSecond = copiedThisRun / started.Elapsed.TotalSeconds };
        }

        return job with { Estimated = job.Copied };
    }

    /// <summary>The nodes reads go to now, other than <paramref name="target"/> (null: all of them), by address.</summary>
    private List<string> ReadableSources(string? target)
    {
        var table = routing.Value;
        return [.. Enumerable.Range(0, table.Backends.Count)
            .Where(i => table.IsReadable(i) && table.Backends[i].Endpoint.Address != target)
            .Select(i => table.Backends[i].Endpoint.Address)
            .Order(StringComparer.Ordinal)];
    }

    private (RoutingTable Table, BackendNode Source) Resolve(string target, bool drain, string source)
    {
        var table = routing.Value;
        var t = table.IndexOf(target);
        var s = table.IndexOf(source);
        if (t < 0 || table.NodeStates[t] != (drain ? NodeState.Leaving : NodeState.Joining))
        {
            throw new RepairException($"{target} is no longer {(drain ? "leaving" : "joining")} in this proxy's ring");
        }

        if (s < 0 || !table.IsReadable(s))
        {
            throw new RepairException($"source {source} is no longer readable");
        }

        return (table, table.Backends[s]);
    }


    private async Task<long> CountKeysAsync(List<string> sources)
    {
        long total = 0;
        var table = routing.Value;
        foreach (var source in sources)
        {
            var index = table.IndexOf(source);
            if (index >= 0 && await table.Backends[index].ExecuteAsync(RespWriter.Command("DBSIZE")) is { } reply && RespReply.TryGetInteger(reply, out var count))
            {
                total += count;
            }
        }

        return total;
    }

}
