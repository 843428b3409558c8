using System.CommandLine;
using System.Globalization;
using System.Text;
using RedisRing.Membership;
using RedisRing.Repair;
using RedisRing.Ringctl.Cli;
using RedisRing.Ringctl.Keyspace;
using RedisRing.Ringctl.Nodes;
using RedisRing.Ringctl.Output;
using StackExchange.Redis;

namespace RedisRing.Ringctl.Commands;

/// <summary>
/// <c>ringctl where KEY</c>: the key's owners in the ring the proxies use now (which one serves
/// reads first, which only take writes while they join), which of them hold a copy, and whether
/// the copies agree: each copy's canonical digest (repair/'s <see cref="KeyDigest"/>: type, SHA-1
/// of an encoding-independent form, TTL; read atomically in Lua) compared as the checker does.
/// Exit 0 when every readable owner holds an equal copy or none holds one, 1 when copies are
/// missing on an owner that serves reads, differ, or an owner cannot be read.
/// </summary>
internal static class WhereCommand
{
    private static readonly TimeSpan s_ttlTolerance = TimeSpan.FromSeconds(2);

    public static Command Create(CommandFactory factory)
    {
        var key = new Argument<string>("KEY") { Description = "the key, as UTF-8 text" };
        return factory.Create("where", "the key's owners, which copies hold it, and whether they agree",
            (context, cancellationToken) => RunAsync(context, context.Parse.GetValue(key)!, cancellationToken), key);
    }

    private static async Task<int> RunAsync(CommandContext context, string key, CancellationToken cancellationToken)
    {
        await using var session = await context.OpenAsync(cancellationToken);
        var members = (await session.ReadMembersAsync(cancellationToken)).Nodes;
        if (members.Count == 0)
        {
            throw new RingctlException(ExitCodes.Refused, $"cluster {session.Layout.Cluster} has no member");
        }

        var ring = MemberRing.Create(members, session.Config);
        var bytes = Encoding.UTF8.GetBytes(key);
        var set = ring.Locate(bytes);
        var copies = new List<(NodeRecord Member, string Role, KeyDigest? Digest, string? Error)>();
        foreach (var owner in set.Writes)
        {
            var member = members[owner];
            var role = set.Reads.Length > 0 && set.Primary == owner ? "primary" : set.Reads.Contains(owner) ? "replica" : "writes only";
            try
            {
                await using var connection = await NodeConnections.ConnectAsync(member.Address, session.Target.RedisPassword);
                copies.Add((member, role, await KeyDigest.ReadAsync(connection.GetDatabase(), bytes), null));
            }
            catch (Exception e) when (e is RedisException or TimeoutException or IOException)
            {
                copies.Add((member, role, null, e.Message.Split('\n')[0]));
            }
        }

        var held = copies.Where(c => c.Digest is not null && c.Digest != KeyDigest.Missing).ToList();
        var anyHeld = held.Count > 0;
        var missingOnReadable = anyHeld && copies.Any(c => c.Digest == KeyDigest.Missing && c.Member.ServesReads());
        var differing = held.Skip(1).Any(c => !c.Digest!.SameAs(held[0].Digest!, s_ttlTolerance));
        var unreadable = copies.Any(c => c.Error is not null);
        var agree = !missingOnReadable && !differing && !unreadable;
        var verdict = unreadable ? "an owner could not be read" : !anyHeld ? "no copy: the key does not exist"
            : differing ? "copies differ" : missingOnReadable ? "a copy is missing on an owner that serves reads" : "copies agree";

        var output = context.Output;
        if (output.IsJson)
        {
            output.Json(new
            {
                key,
                hash = ring.HashKey(bytes),
                exists = anyHeld,
                agree,
                verdict,
                owners = copies.Select(c => new
                {
                    node = c.Member.Address.ToString(),
                    state = c.Member.State.ToJson(),
                    role = c.Role,
                    holds = c.Digest is null ? (bool?)null : c.Digest != KeyDigest.Missing,
                    type = c.Digest is { } d && d != KeyDigest.Missing ? d.Type : null,
                    digest = c.Digest is { } d2 && d2 != KeyDigest.Missing ? d2.Sha1 : null,
                    ttlMilliseconds = c.Digest is { } d3 && d3 != KeyDigest.Missing ? d3.TtlMilliseconds : (long?)null,
                    error = c.Error,
                }),
            });
        }
        else
        {
            output.Line(string.Create(CultureInfo.InvariantCulture, $"key \"{key}\" (hash {ring.HashKey(bytes)}): {copies.Count} owners"));
            var table = Tables.Create("node", "state", "role", "holds", "type", "digest", "ttl ms");
            foreach (var (member, role, digest, error) in copies)
            {
                var present = digest is not null && digest != KeyDigest.Missing;
                Tables.Row(table, member.Address.ToString(), member.State.ToJson(), role,
                    error is not null ? "unreadable: " + error : present ? "yes" : "no",
                    present ? digest!.Type : "-", present ? digest!.Sha1[..12] : "-",
                    present ? digest!.TtlMilliseconds.ToString(CultureInfo.InvariantCulture) : "-");
            }

            output.Table(table);
            output.Line((agree ? "OK: " : "NOT OK: ") + verdict);
        }

        return agree ? ExitCodes.Ok : ExitCodes.Divergence;
    }
}
