using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Routing;
using RedisRing.Repair;

namespace RedisRing.Proxy.Repair;

/// <summary>
/// One anti-entropy pass (docs/consistency.md, "Anti-entropy"), run by the repairer: SCANs every
/// readable node; for each key whose first readable copy is that node, compares its digest with
/// every other readable owner's, a page at a time in one Lua call per owner (cheap when copies are
/// equal); a difference still there after the settle interval is repaired from the first readable
/// copy, only if the other copy did not change since it was compared. A copy on a node that no
/// longer owns the key (after a promotion or a removal) is deleted once the ring has been stable
/// for the trim grace period and an owner holds the key, or copied to its owners first when none
/// does. Rate-limited like a warm-up; stops when the ring changes or leadership is lost.
/// </summary>
internal sealed partial class AntiEntropyPass(CurrentRoutingTable routing, ProxyOptions options, TimeProvider time, AntiEntropyReport report, ILogger logger,
    Func<bool> stillLeading)
{
    private const int LoggedRepairsPerPass = 20;
    private const int SuspectsPerSettle = 2048;
    private readonly List<(BackendNode First, BackendNode Other, byte[] Key)> _suspects = [];
    private int _logged;

    public async Task RunAsync(CancellationToken stop)
    {
        var started = Stopwatch.StartNew();
        var ring = routing.Value;
        var trimAllowed = time.GetUtcNow() - ring.CreatedAt >= options.TrimGrace;
        long scanned = 0;
        var sources = Enumerable.Range(0, ring.Backends.Count).Where(ring.IsReadable).Select(i => ring.Backends[i].Endpoint.Address).Order(StringComparer.Ordinal).ToList();
        foreach (var sourceName in sources)
        {
            var cursor = "0";
            do
            {
                stop.ThrowIfCancellationRequested();
                var table = routing.Value;
                if (table.Version != ring.Version || !stillLeading())
                {
                    // The next pass starts over on the new ring.
                    return;
                }

                var n = table.IndexOf(sourceName);
                if (n < 0 || !table.IsReadable(n))
                {
                    break;
                }

                var source = table.Backends[n];
                var (next, keys) = await NodeScan.PageAsync(source, cursor) ?? throw new RepairException($"SCAN on {sourceName} failed");

                cursor = next;
                scanned += keys.Count;
                Interlocked.Add(ref report.KeysScanned, keys.Count);
                var strays = new List<byte[]>();
                var byOwner = new Dictionary<int, List<byte[]>>();
                foreach (var key in keys)
                {
                    var set = table.Locate(key);
                    if (!set.Writes.Contains(n))
                    {
                        strays.Add(key);
                        continue;
                    }

                    if (!table.IsFirstReadableCopy(n, key))
                    {
                        continue;
                    }

                    foreach (var owner in set.Writes)
                    {
                        if (owner != n && table.IsReadable(owner))
                        {
                            (byOwner.TryGetValue(owner, out var list) ? list : byOwner[owner] = []).Add(key);
                        }
                    }
                }

                foreach (var (owner, ownerKeys) in byOwner)
                {
                    await CompareAsync(source, table.Backends[owner], ownerKeys);
                }

                if (_suspects.Count >= SuspectsPerSettle)
                {
                    await RepairSuspectsAsync(stop);
                }

                if (trimAllowed && strays.Count > 0)
                {
                    await TrimAsync(table, n, strays);
                }

                var due = TimeSpan.FromSeconds(scanned / (double)options.RepairKeysPerSecond);
                if (due > started.Elapsed)
                {
                    await Task.Delay(due - started.Elapsed, time, stop);
                }
            }
            while (cursor != "0");
        }

        await RepairSuspectsAsync(stop);
        Interlocked.Increment(ref report.Passes);
        Interlocked.Exchange(ref report.LastPassMilliseconds, started.ElapsedMilliseconds);
        Interlocked.Exchange(ref report.LastPassEndedMs, time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>Compares a page's copies on two owners; the differing ones wait for the settle interval.</summary>
    private async Task CompareAsync(BackendNode first, BackendNode other, List<byte[]> keys)
    {
        var suspects = await DifferingAsync(first, other, keys);
        Interlocked.Add(ref report.CopiesCompared, keys.Count);
        Interlocked.Add(ref report.Suspects, suspects.Count);
        _suspects.AddRange(suspects.Select(k => (first, other, k)));
    }

    /// <summary>
    /// A write in flight reaches the copies at slightly different moments: only a difference that
    /// outlives every write dispatched before the first look is a divergence. One settle interval
    /// covers every suspect gathered so far; the ones still differing are repaired in parallel.
    /// </summary>
    private async Task RepairSuspectsAsync(CancellationToken stop)
    {
        if (_suspects.Count == 0)
        {
            return;
        }

        await Task.Delay(options.SettleTime, time, stop);
        foreach (var group in _suspects.GroupBy(s => (s.First, s.Other)))
        {
            foreach (var chunk in group.Select(s => s.Key).Chunk(NodeScan.PageSize))
            {
                var again = await CopyCalls.DigestsAsync(group.Key.Other, chunk);
                var firstAgain = await CopyCalls.DigestsAsync(group.Key.First, chunk);
                if (again is null || firstAgain is null)
                {
                    continue;
                }

                await Task.WhenAll(chunk.Select((key, i) => firstAgain[i].SameAs(again[i], TtlTolerance)
                    ? Task.CompletedTask
                    : RepairAsync(group.Key.First, group.Key.Other, key, again[i], firstAgain[i])));
            }
        }

        _suspects.Clear();
    }

    private async Task RepairAsync(BackendNode first, BackendNode other, byte[] key, KeyDigest otherDigest, KeyDigest firstDigest)
    {
        // The first readable copy wins; it is read now, so its latest value is what is copied.
        if (await CopyCalls.DumpAsync(first, key) is not var (payload, ttl) || (payload is null && otherDigest == KeyDigest.Missing))
        {
            return;
        }

        if (await CopyCalls.ReplaceIfUnchangedAsync(other, key, otherDigest, payload, ttl))
        {
            var missing = otherDigest == KeyDigest.Missing;
            Interlocked.Increment(ref missing ? ref report.RepairedMissing : ref report.RepairedDiffering);
            if (Interlocked.Increment(ref _logged) <= LoggedRepairsPerPass)
            {
                LogRepaired(logger, Show(key), other.Name, missing ? "missing" : $"differing ({otherDigest.Type} vs {firstDigest.Type})", first.Name);
            }
        }
        else
        {
            Interlocked.Increment(ref report.ChangedMeanwhile);
        }
    }

    private static readonly TimeSpan TtlTolerance = TimeSpan.FromSeconds(2);

    private static async Task<List<byte[]>> DifferingAsync(BackendNode first, BackendNode other, List<byte[]> keys)
    {
        var firstDigests = await CopyCalls.DigestsAsync(first, keys);
        var otherDigests = await CopyCalls.DigestsAsync(other, keys);
        if (firstDigests is null || otherDigests is null)
        {
            return [];
        }

        var differing = new List<byte[]>();
        for (var i = 0; i < keys.Count; i++)
        {
            // A key gone from the first copy since the SCAN was deleted: nothing to spread.
            if (firstDigests[i] != KeyDigest.Missing && !firstDigests[i].SameAs(otherDigests[i], TtlTolerance))
            {
                differing.Add(keys[i]);
            }
        }

        return differing;
    }

    /// <summary>Deletes copies this node no longer owns once an owner holds them; copies the others to their owners first.</summary>
    private async Task TrimAsync(RoutingTable table, int n, List<byte[]> strays)
    {
        var node = table.Backends[n];
        foreach (var key in strays)
        {
            var set = table.Locate(key);
            var holder = -1;
            foreach (var owner in set.Reads)
            {
                if (table.IsReadable(owner))
                {
                    holder = owner;
                    break;
                }
            }

            if (holder < 0)
            {
                continue;
            }

            var held = await CopyCalls.ExistsAsync(table.Backends[holder], [key]);
            if (held is null)
            {
                continue;
            }

            if (!held[0])
            {
                // This stray is the only copy the readable owners lack: give it to them first.
                if (await CopyCalls.DumpAsync(node, key) is var (payload, ttl) && payload is not null)
                {
                    foreach (var owner in set.Writes)
                    {
                        if (table.Backends[owner].IsConnected && await CopyCalls.RestoreIfAbsentAsync(table.Backends[owner], key, payload, ttl))
                        {
                            Interlocked.Increment(ref report.Rehomed);
                        }
                    }
                }

                continue;
            }

            var bytes = await CopyCalls.DeleteCountingBytesAsync(node, key);
            if (bytes >= 0)
            {
                Interlocked.Increment(ref report.Trimmed);
                Interlocked.Add(ref report.TrimmedBytes, bytes);
            }
        }
    }



    private static string Show(byte[] key)
    {
        var text = Encoding.UTF8.GetString(key);
        return text.Length <= 64 && text.All(c => !char.IsControl(c) && c != '\uFFFD') ? text : "0x" + Convert.ToHexString(key.AsSpan(0, Math.Min(key.Length, 24)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Anti-entropy: repaired {Key} on {Node} ({What}) from {Source}")]
    private static partial void LogRepaired(ILogger logger, string key, string node, string what, string source);
}
