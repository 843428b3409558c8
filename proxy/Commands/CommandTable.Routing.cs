using System.Collections.Frozen;

namespace RedisRing.Proxy.Commands;

/// <summary>
/// The proxy's decisions on top of Redis's own command descriptions: which commands it answers
/// itself, splits, runs on every node, refuses, and how it finds keys that COMMAND cannot
/// describe with a range.
/// </summary>
internal static partial class CommandTable
{
    private const string PubSub = "ERR pub/sub is not supported by RedisRing yet";
    private const string Blocking = "ERR blocking commands are not supported by RedisRing yet";
    private const string NotThroughProxy = "ERR this command is not supported through the RedisRing proxy";

    private static readonly FrozenSet<string> s_local = FrozenSet.Create(StringComparer.Ordinal,
        "PING", "ECHO", "QUIT", "SELECT", "HELLO", "AUTH", "RESET", "TIME", "ROLE", "READONLY", "READWRITE",
        "CLIENT", "CLIENT|SETNAME", "CLIENT|GETNAME", "CLIENT|ID", "CLIENT|SETINFO", "CLIENT|INFO", "CLIENT|LIST", "CLIENT|NO-EVICT", "CLIENT|NO-TOUCH", "CLIENT|REPLY",
        "COMMAND", "COMMAND|COUNT", "COMMAND|INFO", "COMMAND|DOCS", "COMMAND|LIST", "COMMAND|GETKEYS",
        "INFO", "CONFIG|GET", "ACL|WHOAMI", "LASTSAVE", "WAIT",
        "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH");

    private static readonly FrozenSet<string> s_split = FrozenSet.Create(StringComparer.Ordinal,
        "MGET", "MSET", "DEL", "UNLINK", "EXISTS", "TOUCH");

    private static readonly FrozenSet<string> s_allNodes = FrozenSet.Create(StringComparer.Ordinal,
        "DBSIZE", "SCAN", "RANDOMKEY");

    private static readonly FrozenSet<string> s_broadcast = FrozenSet.Create(StringComparer.Ordinal,
        "SCRIPT|LOAD", "SCRIPT|EXISTS", "FUNCTION|LOAD");

    /// <summary>
    /// Administrative commands that an operator may enable (they are then sent to every node).
    /// KEYS is one: it blocks every node for a walk of its whole keyspace (SCAN does not).
    /// </summary>
    public static readonly FrozenSet<string> AdminCommands = FrozenSet.Create(StringComparer.Ordinal,
        "KEYS", "FLUSHALL", "FLUSHDB", "CONFIG|SET", "CONFIG|RESETSTAT", "CONFIG|REWRITE", "SHUTDOWN", "DEBUG",
        "SAVE", "BGSAVE", "BGREWRITEAOF", "REPLICAOF", "SLAVEOF", "SCRIPT|FLUSH", "SCRIPT|KILL",
        "FUNCTION|FLUSH", "FUNCTION|DELETE", "FUNCTION|RESTORE", "FUNCTION|KILL");

    private static readonly FrozenDictionary<string, KeyFinder> s_keyFinders = new Dictionary<string, KeyFinder>(StringComparer.Ordinal)
    {
        ["EVAL"] = KeyFinder.NumKeysAt2,
        ["EVALSHA"] = KeyFinder.NumKeysAt2,
        ["EVAL_RO"] = KeyFinder.NumKeysAt2,
        ["EVALSHA_RO"] = KeyFinder.NumKeysAt2,
        ["FCALL"] = KeyFinder.NumKeysAt2,
        ["FCALL_RO"] = KeyFinder.NumKeysAt2,
        ["ZUNIONSTORE"] = KeyFinder.DestinationThenNumKeysAt2,
        ["ZINTERSTORE"] = KeyFinder.DestinationThenNumKeysAt2,
        ["ZDIFFSTORE"] = KeyFinder.DestinationThenNumKeysAt2,
        ["ZUNION"] = KeyFinder.NumKeysAt1,
        ["ZINTER"] = KeyFinder.NumKeysAt1,
        ["ZDIFF"] = KeyFinder.NumKeysAt1,
        ["ZINTERCARD"] = KeyFinder.NumKeysAt1,
        ["SINTERCARD"] = KeyFinder.NumKeysAt1,
        ["LMPOP"] = KeyFinder.NumKeysAt1,
        ["ZMPOP"] = KeyFinder.NumKeysAt1,
        ["GEORADIUS"] = KeyFinder.GeoRadiusStore,
        ["GEORADIUSBYMEMBER"] = KeyFinder.GeoRadiusStore,
        ["SORT"] = KeyFinder.Sort,
        ["SORT_RO"] = KeyFinder.Sort,
        ["XREAD"] = KeyFinder.Streams,
        ["XREADGROUP"] = KeyFinder.Streams,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every command and subcommand the proxy knows, by upper-case name ("OBJECT|ENCODING").</summary>
    public static FrozenDictionary<string, CommandInfo> All { get; } = Build();

    /// <summary>Top-level commands only, for COMMAND COUNT / COMMAND LIST.</summary>
    public static IReadOnlyList<CommandInfo> TopLevel { get; } = All.Values.Where(c => !c.Name.Contains('|', StringComparison.Ordinal)).OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();

    private static FrozenDictionary<string, CommandInfo> Build()
    {
        var all = new Dictionary<string, CommandInfo>(StringComparer.Ordinal);
        foreach (var spec in s_specs)
        {
            all[spec.Name] = Create(spec);
        }

        foreach (var info in all.Values)
        {
            var bar = info.Name.IndexOf('|', StringComparison.Ordinal);
            if (bar > 0 && all.TryGetValue(info.Name[..bar], out var parent))
            {
                parent.Subcommands ??= new Dictionary<string, CommandInfo>(StringComparer.Ordinal);
                parent.Subcommands[info.Name[(bar + 1)..]] = info;
            }
        }

        return all.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static CommandInfo Create(RedisCommandSpec spec)
    {
        var name = spec.Name;
        var keyFinder = s_keyFinders.GetValueOrDefault(name, KeyFinder.Range);
        if (s_local.Contains(name))
        {
            return new CommandInfo(spec, CommandRoute.Local, keyFinder, null);
        }

        if (s_split.Contains(name))
        {
            return new CommandInfo(spec, CommandRoute.Split, keyFinder, null);
        }

        if (s_allNodes.Contains(name))
        {
            return new CommandInfo(spec, CommandRoute.AllNodes, keyFinder, null);
        }

        if (s_broadcast.Contains(name))
        {
            return new CommandInfo(spec, CommandRoute.Broadcast, keyFinder, null);
        }

        if (AdminCommands.Contains(name))
        {
            return new CommandInfo(spec, CommandRoute.Admin, keyFinder, name == "KEYS"
                ? "ERR KEYS is disabled in this proxy: it blocks every node while it walks the whole keyspace; use SCAN, or enable it with --allow-admin KEYS (see allowAdminCommands in docs/configuration.md)"
                : $"ERR {name.Replace('|', ' ')} is an administrative command and is disabled in this proxy (see allowAdminCommands in docs/configuration.md)");
        }

        var refusal = RefusalFor(spec);
        if (refusal is not null)
        {
            return new CommandInfo(spec, CommandRoute.Refused, keyFinder, refusal);
        }

        return new CommandInfo(spec, CommandRoute.Keyed, keyFinder, null);
    }

    private static string? RefusalFor(RedisCommandSpec spec)
    {
        var name = spec.Name;
        if (spec.InCategory("pubsub"))
        {
            return PubSub;
        }

        if (name.StartsWith("CLUSTER", StringComparison.Ordinal))
        {
            // StackExchange.Redis and other clients probe with CLUSTER NODES and expect exactly
            // this answer from a server that is not a cluster.
            return "ERR This instance has cluster support disabled";
        }

        // XREAD and XREADGROUP are flagged blocking because they may block; the proxy refuses
        // only their BLOCK form (checked when routing).
        if (spec.HasFlag("blocking") && name is not ("XREAD" or "XREADGROUP"))
        {
            return Blocking;
        }

        if (name is "MONITOR" or "SYNC" or "PSYNC" or "FAILOVER" or "MIGRATE" or "MOVE" or "SWAPDB" or "REPLCONF" or "RESTORE-ASKING" or "ASKING")
        {
            return NotThroughProxy;
        }

        // Whatever has no key and is not handled above concerns one server, not the ring:
        // refused rather than sent to an arbitrary node.
        var keyless = spec.FirstKey == 0 && !s_keyFinders.ContainsKey(name);
        if (keyless || spec.InCategory("admin") || spec.InCategory("dangerous") && !spec.InCategory("keyspace"))
        {
            return NotThroughProxy;
        }

        return null;
    }
}
