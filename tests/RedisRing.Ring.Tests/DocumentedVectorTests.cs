namespace RedisRing.Ring.Tests;

public class DocumentedVectorTests
{
    [Theory]
    [InlineData("A")]
    [InlineData("B")]
    [InlineData("C")]
    public void Ring_gives_the_replica_sets_published_in_the_docs(string label)
    {
        var vectors = DocumentedVectors.ByLabel(label);
        var nodes = vectors.RingNodes([.. Enumerable.Range(7000, vectors.Nodes.Length)]);
        var ring = HashRing.Create(nodes, new RingOptions { Replicas = vectors.Replicas });
        foreach (var (keyHex, copies) in vectors.Keys)
        {
            Assert.Equal(copies, ring.Locate(Convert.FromHexString(keyHex)).Reads.Select(n => nodes[n].Name));
        }
    }
}
