using System.Text;
using RedisRing.Membership;
using RedisRing.Ring;
using StackExchange.Redis;

namespace RedisRing.Repair;

/// <summary>
/// Compares every key's copies across its owners in the ring the members make (the write ring:
/// <c>up</c> and <c>joining</c> members, placement exactly as the proxies compute it): scans
/// every member (SCAN, so servers keep serving), then reads a canonical digest of each key on
/// each of its owners (<see cref="KeyDigest"/>). A copy is "missing" on an owner without the key,
/// "differing" when owners disagree, "not owned" on a member outside the key's owners. It reads
/// only; it holds every key name in memory for the pass (about 100 bytes a key), or checks a
/// random sample (<see cref="SampleSize"/>).
/// </summary>
public sealed class CopyChecker(IReadOnlyList<NodeRecord> members, RingConfig config, Func<NodeAddress, Task<IConnectionMultiplexer>> connect)
{
    /// <summary>Keys per SCAN call.</summary>
    public int ScanPageSize { get; init; } = 1000;

    /// <summary>Copies whose TTLs differ by less than this are equal (relative TTLs are applied by each copy at its own moment).</summary>
    public TimeSpan TtlTolerance { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Most problem lines kept in <see cref="CopyCheckReport.Examples"/>.</summary>
    public int ExampleLimit { get; init; } = 20;

    /// <summary>
    /// Check this many keys picked at random (RANDOMKEY on the members in turn) instead of every
    /// key; 0: every key. A sample finds systematic divergence quickly on a large keyspace; it
    /// cannot prove that every key is healthy.
    /// </summary>
    public int SampleSize { get; init; }

    public async Task<CopyCheckReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var report = new CopyCheckReport();
        var ring = HashRing.Create(
            members.Select(m => RingNode.FromEndpoint(m.Address.Host, m.Address.Port, m.Weight)).ToList(),
            members.Select(m => m.ServesReads()).ToList(),
            members.Select(m => m.State.Stays()).ToList(),
            new RingOptions { Replicas = config.Replicas, HashTag = config.HashTag });

        var connections = new IConnectionMultiplexer?[members.Count];
        try
        {
            // Which members hold each key (member indexes are ring node indexes: same order).
            var holders = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < members.Count; i++)
            {
                try
                {
                    connections[i] = await connect(members[i].Address).ConfigureAwait(false);
                    if (SampleSize > 0)
                    {
                        continue;
                    }

                    var server = connections[i]!.GetServers()[0];
                    await foreach (var key in server.KeysAsync(pageSize: ScanPageSize).WithCancellation(cancellationToken).ConfigureAwait(false))
                    {
                        var name = Convert.ToBase64String((byte[])key!);
                        if (!holders.TryGetValue(name, out var list))
                        {
                            holders[name] = list = [];
                        }

                        list.Add(i);
                    }
                }
                catch (Exception e) when (e is RedisException or TimeoutException or IOException)
                {
                    report.Unreachable.Add((members[i].Address, e.Message));
                    connections[i] = null;
                }
            }

            if (SampleSize > 0)
            {
                holders = await SampleAsync(connections, cancellationToken).ConfigureAwait(false);
            }

            report.Keys = holders.Count;
            foreach (var (name, held) in holders)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var key = Convert.FromBase64String(name);
                var owners = ring.Locate(key).Writes;
                await CheckKeyAsync(report, key, owners, held, connections).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        return report;
    }

    private async Task CheckKeyAsync(CopyCheckReport report, byte[] key, IReadOnlyList<int> owners, List<int> held, IConnectionMultiplexer?[] connections)
    {
        foreach (var holder in held.Where(h => !owners.Contains(h)))
        {
            report.NotOwned++;
            Example(report, $"not owned: {Show(key)} on {members[holder].Address}");
        }

        var reachableOwners = owners.Where(o => connections[o] is not null).ToList();
        if (!held.Any(owners.Contains))
        {
            report.NoOwnerCopy++;
            Example(report, $"no owner holds {Show(key)} (owners {string.Join(", ", owners.Select(o => members[o].Address))})");
            return;
        }

        var digests = new List<(int Owner, KeyDigest Digest)>();
        foreach (var owner in reachableOwners)
        {
            var digest = await KeyDigest.ReadAsync(connections[owner]!.GetDatabase(), key).ConfigureAwait(false);
            if (digest == KeyDigest.Missing)
            {
                if (members[owner].ServesReads())
                {
                    report.MissingOnUp++;
                    Example(report, $"missing: {Show(key)} on {members[owner].Address} (up)");
                }
                else
                {
                    report.MissingOnJoining++;
                }

                continue;
            }

            digests.Add((owner, digest));
        }

        if (digests.Count > 1 && digests.Skip(1).Any(d => !d.Digest.SameAs(digests[0].Digest, TtlTolerance)))
        {
            report.Differing++;
            Example(report, $"differing: {Show(key)}: " + string.Join("; ", digests.Select(d => $"{members[d.Owner].Address} {d.Digest.Type} {d.Digest.Sha1[..12]} ttl {d.Digest.TtlMilliseconds}")));
        }
    }

    /// <summary>Up to <see cref="SampleSize"/> distinct random keys, with the members that hold each.</summary>
    private async Task<Dictionary<string, List<int>>> SampleAsync(IConnectionMultiplexer?[] connections, CancellationToken cancellationToken)
    {
        var holders = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var reachable = Enumerable.Range(0, members.Count).Where(i => connections[i] is not null).ToList();
        // Small keyspaces repeat keys: give up after a few times the sample size.
        for (var attempt = 0; reachable.Count > 0 && holders.Count < SampleSize && attempt < SampleSize * 4; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = await connections[reachable[attempt % reachable.Count]]!.GetDatabase().KeyRandomAsync().ConfigureAwait(false);
            if (key == default(RedisKey) || holders.ContainsKey(Convert.ToBase64String((byte[])key!)))
            {
                continue;
            }

            var held = new List<int>();
            foreach (var i in reachable)
            {
                if (await connections[i]!.GetDatabase().KeyExistsAsync(key).ConfigureAwait(false))
                {
                    held.Add(i);
                }
            }

            if (held.Count > 0)
            {
                // Empty: deleted since RANDOMKEY named it.
                holders[Convert.ToBase64String((byte[])key!)] = held;
            }
        }

        return holders;
    }

    private void Example(CopyCheckReport report, string line)
    {
        if (report.Examples.Count < ExampleLimit)
        {
            report.Examples.Add(line);
        }
    }

    /// <summary>The key as text when it is printable UTF-8 of reasonable length, else its first bytes in hex.</summary>
    private static string Show(byte[] key)
    {
        var text = Encoding.UTF8.GetString(key);
        return text.Length <= 100 && text.All(c => !char.IsControl(c) && c != '\uFFFD') ? $"\"{text}\"" : "0x" + Convert.ToHexString(key.AsSpan(0, Math.Min(key.Length, 32))) + (key.Length > 32 ? "..." : string.Empty);
    }
}
