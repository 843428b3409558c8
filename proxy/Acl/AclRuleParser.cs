using System.Collections.Frozen;
using System.Globalization;
using RedisRing.Proxy.Commands;

namespace RedisRing.Proxy.Acl;

/// <summary>
/// Reads one user in a subset of Redis's ACL SETUSER syntax: <c>NAME RULE...</c>, rules applied
/// left to right to a user that starts like a new Redis user (off, no password, no commands, no
/// keys, no channels). Passwords are only accepted hashed (<c>#&lt;sha256 hex&gt;</c>), so a
/// configuration file never holds one in clear; docs/configuration.md ("users") lists the rules.
/// </summary>
internal static class AclRuleParser
{
    private static readonly FrozenSet<string> s_categories = CommandTable.All.Values
        .SelectMany(c => c.Spec.Categories.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .ToFrozenSet(StringComparer.Ordinal);

    private static readonly string[] s_noAuth = CommandTable.All.Values.Where(c => c.Spec.HasFlag("no_auth")).Select(c => c.Name).ToArray();

    /// <summary>Parses <paramref name="definition"/>; returns null and an error that never repeats a password or hash.</summary>
    public static AclUser? TryParse(string definition, out string? error)
    {
        var words = definition.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            error = "a user needs a name: \"NAME RULE...\"";
            return null;
        }

        var name = words[0];
        var state = new State();
        for (var i = 1; i < words.Length; i++)
        {
            if (Apply(state, words[i]) is { } problem)
            {
                error = $"user '{name}': {problem}";
                return null;
            }
        }

        error = null;
        return state.Build(name);
    }

    private static string? Apply(State state, string rule)
    {
        var lower = rule.ToLowerInvariant();
        switch (lower)
        {
            case "on":
                state.Enabled = true;
                return null;
            case "off":
                state.Enabled = false;
                return null;
            case "nopass":
                state.NoPass = true;
                state.Hashes.Clear();
                return null;
            case "resetpass":
                state.NoPass = false;
                state.Hashes.Clear();
                return null;
            case "allkeys" or "~*":
                state.AllKeys = true;
                state.KeyPatterns.Clear();
                return null;
            case "resetkeys":
                state.AllKeys = false;
                state.KeyPatterns.Clear();
                return null;
            case "allchannels" or "&*":
                state.AllChannels = true;
                state.ChannelPatterns.Clear();
                return null;
            case "resetchannels":
                state.AllChannels = false;
                state.ChannelPatterns.Clear();
                return null;
            case "allcommands" or "+@all":
                state.Commands.UnionWith(CommandTable.All.Keys);
                return null;
            case "nocommands" or "-@all":
                state.Commands.Clear();
                return null;
            case "reset":
                state.Reset();
                return null;
        }

        switch (rule[0])
        {
            case '#':
                return AddHash(state, rule);
            case '>' or '<':
                return "passwords are given hashed, as #<sha256 hex> (see docs/configuration.md, \"users\")";
            case '!':
                return "'!<hash>' (remove a password) is not supported; list only the passwords the user has";
            case '%':
                return $"'{rule}': read/write key permissions (%R~, %W~) are not supported; use ~pattern";
            case '~':
                if (!state.AllKeys)
                {
                    state.KeyPatterns.Add(rule[1..]);
                }

                return null;
            case '&':
                if (!state.AllChannels)
                {
                    state.ChannelPatterns.Add(rule[1..]);
                }

                return null;
            case '+' or '-':
                return ApplyCommands(state, rule[0] == '+', rule[1..]);
            default:
                return $"unknown rule '{rule}'";
        }
    }

    private static string? AddHash(State state, string rule)
    {
        var hex = rule[1..];
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
        {
            return "a password hash is '#' and 64 hexadecimal digits (the SHA-256 of the password)";
        }

        state.Hashes.Add(Convert.FromHexString(hex));
        state.NoPass = false;
        return null;
    }

    private static string? ApplyCommands(State state, bool allow, string target)
    {
        IEnumerable<string> names;
        if (target.StartsWith('@'))
        {
            var category = target[1..].ToLowerInvariant();
            if (!s_categories.Contains(category))
            {
                return $"unknown command category '{target}'";
            }

            names = CommandTable.All.Values.Where(c => c.Spec.InCategory(category)).Select(c => c.Name);
        }
        else
        {
            var upper = target.ToUpper(CultureInfo.InvariantCulture);
            if (!CommandTable.All.TryGetValue(upper, out var info))
            {
                return $"unknown command '{target}'";
            }

            // A container command (CLIENT, CONFIG) stands for all its subcommands.
            names = info.Subcommands is null ? [upper] : [upper, .. info.Subcommands.Values.Select(s => s.Name)];
        }

        if (allow)
        {
            state.Commands.UnionWith(names);
        }
        else
        {
            state.Commands.ExceptWith(names);
        }

        return null;
    }

    /// <summary>The user being built; a new Redis user: off, no password, no commands, keys or channels.</summary>
    private sealed class State
    {
        public bool Enabled { get; set; }

        public bool NoPass { get; set; }

        public List<byte[]> Hashes { get; } = [];

        public HashSet<string> Commands { get; } = new(StringComparer.Ordinal);

        public bool AllKeys { get; set; }

        public List<string> KeyPatterns { get; } = [];

        public bool AllChannels { get; set; }

        public List<string> ChannelPatterns { get; } = [];

        public void Reset()
        {
            Enabled = false;
            NoPass = false;
            Hashes.Clear();
            Commands.Clear();
            AllKeys = false;
            KeyPatterns.Clear();
            AllChannels = false;
            ChannelPatterns.Clear();
        }

        public AclUser Build(string name)
        {
            // AUTH, HELLO, QUIT and RESET are open to every user, as in Redis (flag no_auth).
            Commands.UnionWith(s_noAuth);
            var all = CommandTable.All.Keys.All(Commands.Contains);
            return new AclUser(name, Enabled, NoPass, [.. Hashes], Commands.ToFrozenSet(StringComparer.Ordinal), all, [.. KeyPatterns], AllKeys, [.. ChannelPatterns], AllChannels);
        }
    }
}
