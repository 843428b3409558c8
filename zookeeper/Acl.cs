using System.Security.Cryptography;
using System.Text;

namespace RedisRing.ZooKeeper;

/// <summary>One ACL entry: permissions granted to an identity (<c>scheme:id</c>).</summary>
public sealed record Acl(Permissions Permissions, string Scheme, string Id)
{
    /// <summary>world:anyone with every permission, ZooKeeper's default (OPEN_ACL_UNSAFE).</summary>
    public static IReadOnlyList<Acl> OpenUnsafe { get; } = [new(Permissions.All, "world", "anyone")];

    /// <summary>world:anyone may read, nobody may change (READ_ACL_UNSAFE).</summary>
    public static IReadOnlyList<Acl> ReadUnsafe { get; } = [new(Permissions.Read, "world", "anyone")];

    /// <summary>Every permission to the identities the session authenticated as (CREATOR_ALL_ACL).</summary>
    public static IReadOnlyList<Acl> CreatorAll { get; } = [new(Permissions.All, "auth", string.Empty)];

    /// <summary>
    /// An entry for the digest scheme: the id is <c>user:base64(sha1(user:password))</c>, exactly
    /// what the server computes from <c>addauth digest user:password</c>.
    /// </summary>
    public static Acl Digest(Permissions permissions, string user, string password)
    {
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(user + ":" + password));
        return new Acl(permissions, "digest", user + ":" + Convert.ToBase64String(hash));
    }
}
