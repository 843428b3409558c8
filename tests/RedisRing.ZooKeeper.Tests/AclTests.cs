using System.Text;
using RedisRing.ZooKeeper.Tests.Fixtures;

namespace RedisRing.ZooKeeper.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class AclTests(StandaloneZooKeeper zk)
{
    [Fact]
    public async Task Digest_protected_node_needs_the_right_credentials()
    {
        var chroot = "/t-" + Guid.NewGuid().ToString("N")[..12];
        await using var admin = await zk.ConnectAsync();
        await admin.CreateAsync(chroot);
        await using var owner = await zk.ConnectAsync(chroot);
        await owner.AddDigestAuthAsync("alice", "secret");
        await owner.CreateAsync("/private", Encoding.UTF8.GetBytes("x"), acl: [Acl.Digest(Permissions.All, "alice", "secret")]);

        await using var stranger = await zk.ConnectAsync(chroot);
        var denied = await Assert.ThrowsAsync<NoAuthException>(() => stranger.GetDataAsync("/private"));
        Assert.Equal(ErrorCode.NoAuth, denied.Code);
        await Assert.ThrowsAsync<NoAuthException>(() => stranger.SetDataAsync("/private", Array.Empty<byte>()));

        await using var wrongPassword = await zk.ConnectAsync(chroot);
        await wrongPassword.AddDigestAuthAsync("alice", "guess");
        await Assert.ThrowsAsync<NoAuthException>(() => wrongPassword.GetDataAsync("/private"));

        await using var friend = await zk.ConnectAsync(chroot);
        await friend.AddDigestAuthAsync("alice", "secret");
        Assert.Equal("x", Encoding.UTF8.GetString((await friend.GetDataAsync("/private")).Data));
        Assert.Equal("x", Encoding.UTF8.GetString((await owner.GetDataAsync("/private")).Data));
    }

    [Fact]
    public async Task Acl_reads_back_and_set_acl_checks_the_acl_version()
    {
        await using var client = await zk.ConnectFreshAsync();
        await client.CreateAsync("/n");
        var (acl, stat) = await client.GetAclAsync("/n");
        Assert.Equal(Acl.OpenUnsafe, acl);
        Assert.Equal(0, stat.AclVersion);

        var readAndWrite = new[] { new Acl(Permissions.Read | Permissions.Write | Permissions.Admin, "world", "anyone") };
        var after = await client.SetAclAsync("/n", readAndWrite, aclVersion: 0);
        Assert.Equal(1, after.AclVersion);
        Assert.Equal(readAndWrite, (await client.GetAclAsync("/n")).Acl);
        await Assert.ThrowsAsync<BadVersionException>(() => client.SetAclAsync("/n", Acl.OpenUnsafe, aclVersion: 0));

        await client.SetAclAsync("/n", Acl.ReadUnsafe, aclVersion: 1);
        await Assert.ThrowsAsync<NoAuthException>(() => client.SetDataAsync("/n", new byte[] { 1 }));
        await Assert.ThrowsAsync<NoAuthException>(() => client.SetAclAsync("/n", Acl.OpenUnsafe));
    }

    [Fact]
    public async Task Creator_all_acl_requires_an_authenticated_session()
    {
        await using var client = await zk.ConnectFreshAsync();
        await Assert.ThrowsAsync<InvalidAclException>(() => client.CreateAsync("/n", acl: Acl.CreatorAll));
        await client.AddDigestAuthAsync("bob", "pw");
        await client.CreateAsync("/n", acl: Acl.CreatorAll);
        Assert.Equal([Acl.Digest(Permissions.All, "bob", "pw")], (await client.GetAclAsync("/n")).Acl);
    }

    [Fact]
    public async Task Unknown_auth_scheme_ends_the_session_with_auth_failed()
    {
        await using var client = await zk.ConnectFreshAsync();
        var states = new List<ZooKeeperState>();
        var authFailed = new TaskCompletionSource();
        client.StateChanged += (_, e) =>
        {
            states.Add(e.State);
            if (e.State == ZooKeeperState.AuthFailed)
            {
                authFailed.TrySetResult();
            }
        };

        await Assert.ThrowsAsync<AuthFailedException>(() => client.AddAuthAsync("no-such-scheme", Encoding.UTF8.GetBytes("x")));
        await authFailed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ZooKeeperState.AuthFailed, client.State);
        await Assert.ThrowsAsync<AuthFailedException>(() => client.ExistsAsync("/"));
    }
}
