using System.Text;

namespace RedisRing.Proxy.Commands;

/// <summary>Everything the proxy needs to know to route one command (or one subcommand).</summary>
internal sealed class CommandInfo
{
    public CommandInfo(RedisCommandSpec spec, CommandRoute route, KeyFinder keyFinder, string? refusal)
    {
        Name = spec.Name;
        Arity = spec.Arity;
        FirstKey = spec.FirstKey;
        LastKey = spec.LastKey;
        Step = spec.Step;
        // Scripts and functions may write; their _RO forms may not. COMMAND flags EVAL as neither.
        IsWrite = spec.HasFlag("write") || spec.Name is "EVAL" or "EVALSHA" or "FCALL";
        IsBlocking = spec.HasFlag("blocking");
        MayRunLong = s_mayRunLong.Contains(spec.Name);
        Route = route;
        KeyFinder = keyFinder;
        Refusal = refusal;
        Spec = spec;
        NameBytes = Encoding.ASCII.GetBytes(spec.Name);
    }

    // Commands whose own run (not the size of their reply, which streams) may hold Redis for
    // seconds: scripts and functions, whole-keyspace and set-algebra commands, SORT, and the
    // commands that free or rebuild a whole value at once.
    private static readonly HashSet<string> s_mayRunLong = new(StringComparer.Ordinal)
    {
        "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO", "KEYS", "SORT", "SORT_RO",
        "SUNION", "SUNIONSTORE", "SINTER", "SINTERSTORE", "SINTERCARD", "SDIFF", "SDIFFSTORE",
        "ZUNION", "ZUNIONSTORE", "ZINTER", "ZINTERSTORE", "ZINTERCARD", "ZDIFF", "ZDIFFSTORE",
        "DEL", "UNLINK", "RESTORE", "DUMP", "COPY", "RENAME", "RENAMENX", "FLUSHALL", "FLUSHDB",
        "SCRIPT|LOAD", "FUNCTION|LOAD", "DEBUG",
    };

    public string Name { get; }

    public byte[] NameBytes { get; }

    /// <summary>Redis arity: positive = exact argument count, negative = at least -arity.</summary>
    public int Arity { get; }

    public int FirstKey { get; }

    public int LastKey { get; }

    public int Step { get; }

    /// <summary>Writes go to every copy; reads to the first readable copy.</summary>
    public bool IsWrite { get; }

    public bool IsBlocking { get; }

    /// <summary>
    /// May keep Redis busy (and silent to every connection) for long: the liveness check then
    /// allows <c>longCommandLivenessTimeoutMs</c> instead of <c>livenessTimeoutMs</c>.
    /// </summary>
    public bool MayRunLong { get; }

    public CommandRoute Route { get; }

    public KeyFinder KeyFinder { get; }

    /// <summary>The error sent for a refused command (without the leading '-').</summary>
    public string? Refusal { get; }

    public RedisCommandSpec Spec { get; }

    /// <summary>Subcommands by upper-case name, for container commands such as OBJECT or CLIENT.</summary>
    public Dictionary<string, CommandInfo>? Subcommands { get; set; }

    /// <summary>
    /// Calls of this command in this process, counted while the admin port is on (the dispatcher
    /// adds one per call; /metrics reads them at scrape time).
    /// </summary>
    public long Calls => Interlocked.Read(ref _calls);

    private long _calls;

    public void CountCall() => Interlocked.Increment(ref _calls);

    public bool ArityMatches(int count) => Arity >= 0 ? count == Arity : count >= -Arity;
}
