using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using RedisRing.Proxy.Commands;

namespace RedisRing.Proxy.Acl;

/// <summary>
/// One user of the proxy, immutable once its rules are read (<see cref="AclRuleParser"/>): whether
/// it may log in, the SHA-256 of each of its passwords, the commands it may run and the key
/// patterns it may touch. Read by every session without locks.
/// </summary>
internal sealed class AclUser
{
    public AclUser(string name, bool enabled, bool noPass, IReadOnlyList<byte[]> passwordHashes, FrozenSet<string> commands, bool allCommands, IReadOnlyList<string> keyPatterns, bool allKeys, IReadOnlyList<string> channelPatterns, bool allChannels)
    {
        Name = name;
        Enabled = enabled;
        NoPass = noPass;
        PasswordHashes = passwordHashes;
        Commands = commands;
        AllCommands = allCommands;
        KeyPatterns = keyPatterns.Select(p => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(p))).ToArray();
        AllKeys = allKeys;
        ChannelPatterns = channelPatterns.Select(p => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(p))).ToArray();
        AllChannels = allChannels;
        IsUnrestricted = allCommands && allKeys && allChannels;
    }

    public string Name { get; }

    /// <summary><c>on</c>: the user may authenticate; <c>off</c>: every AUTH as this user fails.</summary>
    public bool Enabled { get; }

    /// <summary><c>nopass</c>: any password is accepted (the default user without <c>--password</c>).</summary>
    public bool NoPass { get; }

    /// <summary>SHA-256 of each accepted password (Redis's <c>#&lt;hex&gt;</c> form); the passwords themselves are never held.</summary>
    public IReadOnlyList<byte[]> PasswordHashes { get; }

    /// <summary>Upper-case names (<c>GET</c>, <c>CLIENT|KILL</c>) the user may run, when not <see cref="AllCommands"/>.</summary>
    public FrozenSet<string> Commands { get; }

    public bool AllCommands { get; }

    /// <summary>Glob patterns of the keys the user may touch, as Latin-1 strings (one char per key byte), when not <see cref="AllKeys"/>.</summary>
    public IReadOnlyList<string> KeyPatterns { get; }

    public bool AllKeys { get; }

    /// <summary>Pub/sub channel patterns (<c>&amp;pattern</c>) as Latin-1 strings, when not <see cref="AllChannels"/>: none by default, as Redis 7's <c>resetchannels</c>.</summary>
    public IReadOnlyList<string> ChannelPatterns { get; }

    public bool AllChannels { get; }

    /// <summary>Every command on every key and channel: the dispatcher skips the checks.</summary>
    public bool IsUnrestricted { get; }

    public bool CanRun(CommandInfo info) => AllCommands || Commands.Contains(info.Name);

    /// <summary>
    /// As Redis: a channel (SUBSCRIBE, PUBLISH) must match one of the user's channel patterns; a
    /// pattern (PSUBSCRIBE) must be one of them, literally, so that a user cannot widen its reach
    /// with a broader pattern.
    /// </summary>
    public bool CanAccessChannel(ReadOnlySpan<byte> channel, bool isPattern)
    {
        if (AllChannels)
        {
            return true;
        }

        var text = Encoding.Latin1.GetString(channel);
        foreach (var pattern in ChannelPatterns)
        {
            if (isPattern ? string.Equals(pattern, text, StringComparison.Ordinal) : Glob.IsMatch(pattern, text))
            {
                return true;
            }
        }

        return false;
    }

    public bool CanAccessKey(ReadOnlySpan<byte> key)
    {
        if (AllKeys)
        {
            return true;
        }

        if (KeyPatterns.Count == 0)
        {
            return false;
        }

        // Latin-1 maps each byte to one char, so a binary key matches byte for byte.
        var text = key.Length <= 256 ? stackalloc char[key.Length] : new char[key.Length];
        Encoding.Latin1.GetChars(key, text);
        foreach (var pattern in KeyPatterns)
        {
            if (Glob.IsMatch(pattern, text))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="password"/> opens this user, in time independent of which stored
    /// hash matched and of the password's length (both sides are 32-byte hashes).
    /// </summary>
    public bool Accepts(ReadOnlySpan<byte> password)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(password, hash);
        var match = false;
        foreach (var stored in PasswordHashes)
        {
            match |= CryptographicOperations.FixedTimeEquals(hash, stored);
        }

        return Enabled && (NoPass || match);
    }
}
