namespace RedisRing.Ring.Tests;

public class Fnv1a64Tests
{
    // Expected values printed by the body of twemproxy's hash_fnv1a_64 compiled with gcc on
    // x86-64 (where char is signed), not by this library.
    [Theory]
    [InlineData("", 0x84222325u)]
    [InlineData("61", 0x8601ec8cu)]
    [InlineData("666f6f", 0xfed9d577u)]
    [InlineData("68656c6c6f20776f726c64", 0x023cd2e7u)]
    [InlineData("757365723a31303030", 0xae7b4289u)]
    [InlineData("80", 0x79fdec5fu)]
    [InlineData("ff", 0x79fe466eu)]
    [InlineData("6bc3a979", 0x4841590du)]
    [InlineData("fe007f80", 0x9ccc4eccu)]
    public void Hash_matches_twemproxy_for_known_keys(string keyHex, uint expected) =>
        Assert.Equal(expected, HashRing.Hash(Convert.FromHexString(keyHex)));

    [Fact]
    public void Bytes_from_hex_80_are_sign_extended_before_the_xor()
    {
        // Unsigned bytes would XOR 0x80 into the low byte only; twemproxy XORs 0xFFFFFF80.
        var unsigned = unchecked((Fnv1a64.OffsetBasis ^ 0x80u) * Fnv1a64.Prime);
        var signExtended = unchecked((Fnv1a64.OffsetBasis ^ 0xFFFFFF80u) * Fnv1a64.Prime);
        Assert.NotEqual(unsigned, signExtended);
        Assert.Equal(signExtended, HashRing.Hash([0x80]));
    }

    [Fact]
    public void Empty_key_dispatches_on_hash_zero_as_twemproxy_does()
    {
        var ring = HashRing.Create([RingNode.FromEndpoint("a", 1), RingNode.FromEndpoint("b", 2)], new RingOptions());
        Assert.Equal(0u, ring.HashKey([]));
        Assert.Same(ring.ReplicaSetForHash(0), ring.Locate([]));
    }
}
