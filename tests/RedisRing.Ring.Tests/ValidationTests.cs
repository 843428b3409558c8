namespace RedisRing.Ring.Tests;

public class ValidationTests
{
    private static readonly RingNode Good = new("a", "10.0.0.1", 6379, 1);

    public static TheoryData<RingNode, string> BadNodes => new()
    {
        { Good with { Weight = 0 }, "weight 0" },
        { Good with { Weight = -3 }, "weight -3" },
        { Good with { Host = "" }, "host is empty" },
        { Good with { Port = 0 }, "port 0" },
        { Good with { Port = 65536 }, "port 65536" },
        { Good with { Name = "" }, "name is empty" },
        { Good with { Name = "a\0b" }, "NUL" },
    };

    [Theory]
    [MemberData(nameof(BadNodes))]
    public void Bad_node_is_rejected_with_a_message_naming_the_problem(RingNode node, string expectedText)
    {
        var error = Assert.Throws<ArgumentException>(() => HashRing.Create([node], new RingOptions()));
        Assert.Contains(expectedText, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_names_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => HashRing.Create([Good, Good with { Port = 6380 }], new RingOptions()));
        Assert.Contains("'a' is used by another node", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_node_list_is_rejected() =>
        Assert.Throws<ArgumentException>(() => HashRing.Create([], new RingOptions()));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(17)]
    [InlineData(100)]
    public void Replicas_outside_one_to_sixteen_are_rejected(int replicas)
    {
        var error = Assert.Throws<ArgumentException>(() => HashRing.Create([Good], new RingOptions { Replicas = replicas }));
        Assert.Contains($"Replicas must be an integer in 1..16, not {replicas}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void Replicas_at_the_bounds_are_accepted(int replicas)
    {
        Assert.Null(RingOptions.CheckReplicas(replicas));
        Assert.Equal(replicas, HashRing.Create([Good], new RingOptions { Replicas = replicas }).Options.Replicas);
    }

    [Fact]
    public void The_replica_rule_is_one_to_sixteen()
    {
        Assert.Equal((1, 16), (RingOptions.MinReplicas, RingOptions.MaxReplicas));
        Assert.Equal("must be an integer in 1..16, not 17", RingOptions.CheckReplicas(17));
        Assert.Equal("must be an integer in 1..16, not 0", RingOptions.CheckReplicas(0));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{}}")]
    [InlineData("«»")]
    public void Hash_tag_that_is_not_two_ascii_characters_is_rejected(string tag)
    {
        var error = Assert.Throws<ArgumentException>(() => HashRing.Create([Good], new RingOptions { HashTag = tag }));
        Assert.Contains("HashTag must be two ASCII characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_adding_up_past_32_bits_are_rejected() =>
        Assert.Throws<ArgumentException>(() => HashRing.Create([Good with { Weight = int.MaxValue }, new RingNode("b", "h", 1, 1)], new RingOptions()));

    [Fact]
    public void Nodes_keep_their_given_order()
    {
        RingNode[] nodes = [new("z", "h", 1, 1), new("a", "h", 2, 1), new("m", "h", 3, 1)];
        Assert.Equal(nodes, HashRing.Create(nodes, new RingOptions()).Nodes);
    }
}
