namespace RedisRing.ZooKeeper.Tests.Paths;

public sealed class ZooKeeperPathTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/a")]
    [InlineData("/a/b-c_d.e")]
    [InlineData("/a/...")]
    [InlineData("/zookeeper/quota")]
    public void Valid_paths_pass(string path) => ZooKeeperPath.Validate(path);

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
    public void Invalid_paths_are_rejected(string path) => Assert.Throws<InvalidPathException>(() => ZooKeeperPath.Validate(path));

    [Fact]
    public void Sequential_path_may_end_with_a_slash()
    {
        ZooKeeperPath.Validate("/q/", sequential: true);
        Assert.Throws<InvalidPathException>(() => ZooKeeperPath.Validate("/q/", sequential: false));
        Assert.Throws<InvalidPathException>(() => ZooKeeperPath.Validate("/q//", sequential: true));
    }

    [Theory]
    [InlineData("/a", "/")]
    [InlineData("/a/b", "/a")]
    [InlineData("/", "/")]
    public void Parent_of_a_path(string path, string parent) => Assert.Equal(parent, ZooKeeperPath.Parent(path));
}
