using RedisRing.Proxy.Commands;
using RedisRing.Resp;

namespace RedisRing.Proxy.Acl;

/// <summary>
/// Whether a user may run one command: the command (or subcommand) itself, then every key it
/// names, found as the planners find them (so split commands such as MGET and DEL, and the keys
/// of EVAL, are checked key by key). Errors are Redis 7.2's.
/// </summary>
internal static class AclCheck
{
    /// <summary>Null when allowed, else the error to send (without the leading '-').</summary>
    public static string? Denial(AclUser user, CommandInfo info, RequestFrame frame, List<int> keyScratch)
    {
        if (user.IsUnrestricted)
        {
            return null;
        }

        if (!user.CanRun(info))
        {
            return $"NOPERM User {user.Name} has no permissions to run the '{info.Name.ToLowerInvariant()}' command";
        }

        // Channels are not keys (PUBLISH is routed like a keyed read of its channel, but Redis
        // checks it against the user's channel rules only). Unsubscribing is always allowed.
        switch (info.Name)
        {
            case "SUBSCRIBE" or "SSUBSCRIBE":
                return ChannelDenial(user, frame, first: 1, last: frame.Count - 1, isPattern: false);
            case "PSUBSCRIBE":
                return ChannelDenial(user, frame, first: 1, last: frame.Count - 1, isPattern: true);
            case "PUBLISH" or "SPUBLISH":
                return ChannelDenial(user, frame, first: 1, last: 1, isPattern: false);
            case "UNSUBSCRIBE" or "SUNSUBSCRIBE" or "PUNSUBSCRIBE":
                return null;
        }

        if (user.AllKeys)
        {
            return null;
        }

        // A malformed key list (bad numkeys) is left to the planner to report in Redis's words.
        if (KeyFinding.FindKeys(info, frame, keyScratch) is not null)
        {
            return null;
        }

        foreach (var index in keyScratch)
        {
            if (!user.CanAccessKey(frame[index]))
            {
                return "NOPERM No permissions to access a key";
            }
        }

        return null;
    }

    private static string? ChannelDenial(AclUser user, RequestFrame frame, int first, int last, bool isPattern)
    {
        for (var i = first; i <= last; i++)
        {
            if (!user.CanAccessChannel(frame[i], isPattern))
            {
                return "NOPERM No permissions to access a channel";
            }
        }

        return null;
    }
}
