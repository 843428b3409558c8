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
        Route = route;
        KeyFinder = keyFinder;
        Refusal = refusal;
        Spec = spec;
        NameBytes = Encoding.ASCII.GetBytes(spec.Name);
    }

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

    public CommandRoute Route { get; }

    public KeyFinder KeyFinder { get; }

    /// <summary>The error sent for a refused command (without the leading '-').</summary>
    public string? Refusal { get; }

    public RedisCommandSpec Spec { get; }

    /// <summary>Subcommands by upper-case name, for container commands such as OBJECT or CLIENT.</summary>
    public Dictionary<string, CommandInfo>? Subcommands { get; set; }

    public bool ArityMatches(int count) => Arity >= 0 ? count == Arity : count >= -Arity;
}
