using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace RedisRing.Proxy.Acl;

/// <summary>
/// The proxy's users by name, made once from the options. The <c>default</c> user is the one a
/// connection starts as and the one <c>AUTH password</c> logs in: with <c>--password</c> it takes
/// that password (and may do everything); a <c>--user default ...</c> entry defines it outright;
/// with neither it needs no password, unless other users are defined: then it is off, so that
/// defining users does not leave an open door beside them.
/// </summary>
internal sealed class AclUsers
{
    public const string DefaultName = "default";

    private readonly FrozenDictionary<string, AclUser> _byName;

    public AclUsers(string? password, IReadOnlyList<AclUser> users)
    {
        var byName = users.ToDictionary(u => u.Name, StringComparer.Ordinal);
        if (!byName.ContainsKey(DefaultName))
        {
            byName[DefaultName] = password is not null
                ? Unrestricted(enabled: true, noPass: false, [SHA256.HashData(Encoding.UTF8.GetBytes(password))])
                : Unrestricted(enabled: users.Count == 0, noPass: true, []);
        }

        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        Default = _byName[DefaultName];
    }

    public AclUser Default { get; }

    /// <summary>A new connection is logged in as the default user without AUTH (it is on and needs no password).</summary>
    public bool StartsAuthenticated => Default.Enabled && Default.NoPass;

    public AclUser? Find(string name) => _byName.GetValueOrDefault(name);

    public IEnumerable<string> Names => _byName.Keys.Order(StringComparer.Ordinal);

    private static AclUser Unrestricted(bool enabled, bool noPass, IReadOnlyList<byte[]> hashes) =>
        new(DefaultName, enabled, noPass, hashes, FrozenSet<string>.Empty, allCommands: true, [], allKeys: true, [], allChannels: true);
}
