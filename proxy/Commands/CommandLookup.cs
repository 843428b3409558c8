using System.Text;

namespace RedisRing.Proxy.Commands;

/// <summary>
/// Finds a command by its name as sent by the client (any case) without allocating: an
/// open-addressing table over upper-cased ASCII names.
/// </summary>
internal static class CommandLookup
{
    private const int MaxNameLength = 32;
    private static readonly CommandInfo?[] s_slots = BuildSlots();

    public static CommandInfo? Find(ReadOnlySpan<byte> name)
    {
        if (name.Length is 0 or > MaxNameLength)
        {
            return null;
        }

        Span<byte> upper = stackalloc byte[MaxNameLength];
        for (var i = 0; i < name.Length; i++)
        {
            var b = name[i];
            upper[i] = b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b;
        }

        var key = upper[..name.Length];
        var mask = s_slots.Length - 1;
        for (var slot = (int)(Hash(key) & (uint)mask); ; slot = (slot + 1) & mask)
        {
            var candidate = s_slots[slot];
            if (candidate is null)
            {
                return null;
            }

            if (key.SequenceEqual(candidate.NameBytes))
            {
                return candidate;
            }
        }
    }

    /// <summary>Finds a subcommand of a container command (OBJECT ENCODING, CLIENT SETNAME).</summary>
    public static CommandInfo? FindSubcommand(CommandInfo parent, ReadOnlySpan<byte> name)
    {
        if (parent.Subcommands is null || name.Length is 0 or > MaxNameLength)
        {
            return null;
        }

        Span<char> upper = stackalloc char[MaxNameLength];
        for (var i = 0; i < name.Length; i++)
        {
            var b = name[i];
            upper[i] = (char)(b is >= (byte)'a' and <= (byte)'z' ? b - 32 : b);
        }

        var lookup = parent.Subcommands.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.TryGetValue(upper[..name.Length], out var info) ? info : null;
    }

    private static uint Hash(ReadOnlySpan<byte> key)
    {
        var hash = 2166136261u;
        foreach (var b in key)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }

    private static CommandInfo?[] BuildSlots()
    {
        var top = CommandTable.All.Values.Where(c => !c.Name.Contains('|', StringComparison.Ordinal)).ToList();
        var size = 1;
        while (size < top.Count * 4)
        {
            size <<= 1;
        }

        var slots = new CommandInfo?[size];
        foreach (var info in top)
        {
            var bytes = Encoding.ASCII.GetBytes(info.Name);
            for (var slot = (int)(Hash(bytes) & (uint)(size - 1)); ; slot = (slot + 1) & (size - 1))
            {
                if (slots[slot] is null)
                {
                    slots[slot] = info;
                    break;
                }
            }
        }

        return slots;
    }
}
