namespace RedisRing.ZooKeeper.Tests.Paths;

public sealed class ZooKeeperPathTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/a")]
    [InlineData("/a/b-c_d.e")]
    [InlineData("/a/...")]
    [InlineData("/zookeeper/quota")]
    public void ValidPathsPass(string path) => ZooKeeperPath.Validate(path);

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("/a/")]
    [InlineData("//a")]
    [InlineData("/a//b")]
    [InlineData("/a/./b")]
    [InlineData("/a/..")]
    [InlineData("/a\u0000b")]
    [InlineData("/a\u0001")]
    [InlineData("/a\u007f")]
    [InlineData("/a\ud800")]
    [InlineData("/a\ufff5")]
    public void InvalidPathsAreRejected(string path) => Assert.Throws<InvalidPathException>(() => ZooKeeperPath.Validate(path));

    [Fact]
    public void SequentialPathMayEndWithASlash()
    {
        ZooKeeperPath.Validate("/q/", sequential: true);
        Assert.Throws<InvalidPathException>(() => ZooKeeperPath.Validate("/q/", sequential: false));
        Assert.Throws<InvalidPathException>(() => ZooKeeperPath.Validate("/q//", sequential: true));
    }

    [Theory]
    [InlineData("/a", "/")]
    [InlineData("/a/b", "/a")]
    [InlineData("/", "/")]
    public void ParentOfAPath(string path, string parent) => Assert.Equal(parent, ZooKeeperPath.Parent(path));
}
