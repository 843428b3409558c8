namespace RedisRing.Proxy.Commands;

/// <summary>A command as Redis itself describes it in its COMMAND reply.</summary>
internal readonly record struct RedisCommandSpec(string Name, int Arity, string Flags, int FirstKey, int LastKey, int Step, string Categories)
{
    public bool HasFlag(string flag) => (" " + Flags + " ").Contains(" " + flag + " ", StringComparison.Ordinal);

    public bool InCategory(string category) => (" " + Categories + " ").Contains(" " + category + " ", StringComparison.Ordinal);
}
