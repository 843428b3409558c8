using RedisRing.ZooKeeper.Session;

namespace RedisRing.ZooKeeper.Tests.Session;

public sealed class ConnectStringTests
{
    [Fact]
    public void Servers_and_chroot_are_parsed()
    {
        var parsed = ConnectString.Parse("a:1,b:2, [::1]:3 ,c/app/x");
        Assert.Equal(["a:1", "b:2", "::1:3", "c:2181"], parsed.Servers.Select(s => $"{s.Host}:{s.Port}"));
        Assert.Equal("/app/x", parsed.Chroot);
        Assert.Equal("/app/x/n", parsed.ToServerPath("/n"));
        Assert.Equal("/app/x", parsed.ToServerPath("/"));
        Assert.Equal("/n", parsed.ToClientPath("/app/x/n"));
        Assert.Equal("/", parsed.ToClientPath("/app/x"));
        Assert.Equal("/app/xy", parsed.ToClientPath("/app/xy"));
    }

    [Fact]
    public void Root_chroot_means_none()
    {
        var parsed = ConnectString.Parse("a:1/");
        Assert.Null(parsed.Chroot);
        Assert.Equal("/n", parsed.ToServerPath("/n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a:x")]
    [InlineData("a:70000")]
    [InlineData("/chroot")]
    [InlineData("a:1/bad/")]
    public void Bad_connect_strings_are_rejected(string value) => Assert.ThrowsAny<ArgumentException>(() => ConnectString.Parse(value));
}
