using System.Text;

namespace RedisRing.Ring.Tests;

public class HashTagTests
{
    [Theory]
    [InlineData("{user1000}.following", "user1000")]
    [InlineData("foo{bar}baz", "bar")]
    [InlineData("{a}", "a")]
    [InlineData("no tag at all", "no tag at all")]
    [InlineData("{}", "{}")]
    [InlineData("foo{}{bar}", "foo{}{bar}")]
    [InlineData("foo{{bar}}zap", "{bar")]
    [InlineData("foo{bar}{zap}", "bar")]
    [InlineData("{open only", "{open only")]
    [InlineData("close} only", "close} only")]
    [InlineData("}{x}", "x")]
    public void Curly_tag_hashes_only_the_first_non_empty_tag(string key, string hashed) =>
        Assert.Equal(hashed, Encoding.ASCII.GetString(HashTag.Apply(Encoding.ASCII.GetBytes(key), (byte)'{', (byte)'}')));

    [Theory]
    [InlineData("a$b$c", "b")]
    [InlineData("$$x$", "$$x$")]
    [InlineData("x$y", "x$y")]
    public void Same_open_and_close_character_works_like_twemproxy(string key, string hashed) =>
        Assert.Equal(hashed, Encoding.ASCII.GetString(HashTag.Apply(Encoding.ASCII.GetBytes(key), (byte)'$', (byte)'$')));

    [Fact]
    public void Tagged_keys_land_with_their_tag()
    {
        var ring = HashRing.Create([.. Enumerable.Range(0, 5).Select(i => RingNode.FromEndpoint("10.1.1.1", 7000 + i))], new RingOptions());
        var expected = ring.Locate("user1000"u8);
        foreach (var key in new[] { "{user1000}.following", "{user1000}.followers", "x{user1000}" })
        {
            Assert.Same(expected, ring.Locate(Encoding.ASCII.GetBytes(key)));
        }
    }

    [Fact]
    public void Without_a_hash_tag_the_whole_key_is_hashed()
    {
        var ring = HashRing.Create([RingNode.FromEndpoint("h", 1), RingNode.FromEndpoint("h", 2)], new RingOptions { HashTag = null });
        Assert.Equal(HashRing.Hash("{user1000}.following"u8), ring.HashKey("{user1000}.following"u8));
        var empty = HashRing.Create([RingNode.FromEndpoint("h", 1)], new RingOptions { HashTag = "" });
        Assert.Equal(HashRing.Hash("{a}b"u8), empty.HashKey("{a}b"u8));
    }
}
