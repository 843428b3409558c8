using RedisRing.ZooKeeper;

namespace RedisRing.Membership;

/// <summary>A ZooKeeper digest identity, <c>user:password</c>. <see cref="ToString"/> never shows the password.</summary>
public sealed class DigestCredential
{
    public DigestCredential(string user, string password)
    {
        if (string.IsNullOrEmpty(user) || user.Contains(':', StringComparison.Ordinal) || string.IsNullOrEmpty(password))
        {
            throw new ArgumentException("A digest credential is user:password with a non-empty user (no ':') and a non-empty password.");
        }

        User = user;
        Password = password;
    }

    public string User { get; }

    public string Password { get; }

    public static DigestCredential Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException("A digest credential is user:password.");
        }

        return new DigestCredential(text[..colon], text[(colon + 1)..]);
    }

    public Acl Acl(Permissions permissions) => ZooKeeper.Acl.Digest(permissions, User, Password);

    public Task AuthenticateAsync(ZooKeeperClient client, CancellationToken cancellationToken = default) =>
        client.AddDigestAuthAsync(User, Password, cancellationToken);

    public override string ToString() => User + ":***";
}
