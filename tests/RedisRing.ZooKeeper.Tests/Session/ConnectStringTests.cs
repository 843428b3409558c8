using RedisRing.ZooKeeper.Session;

namespace RedisRing.ZooKeeper.Tests.Session;

public sealed class ConnectStringTests
{
    [Fact]
    public void ServersAndChrootAreParsed()
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
    public void RootChrootMeansNone()
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
    public void BadConnectStringsAreRejected(string value) => Assert.ThrowsAny<ArgumentException>(() => ConnectString.Parse(value));
}
