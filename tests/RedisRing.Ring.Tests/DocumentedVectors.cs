namespace RedisRing.Ring.Tests;

/// <summary>
/// The test vectors published in docs/ring.md: for three rings, each key's replica set by node
/// name. They were printed by this library; the tests check that the library still gives them and
/// that real nutcracker agrees with every copy of every set (see <see cref="NutcrackerVectorTests"/>).
/// Node names are explicit so the vectors do not depend on the ports the tests happen to use.
/// </summary>
internal static class DocumentedVectors
{
    public sealed record VectorRing(string Label, (string Name, int Weight)[] Nodes, int Replicas, (string KeyHex, string[] Copies)[] Keys)
    {
        public RingNode[] RingNodes(IReadOnlyList<int> ports) =>
            [.. Nodes.Select((node, i) => new RingNode(node.Name, "127.0.0.1", ports[i], node.Weight))];
    }

    private const string Ip1 = "10.0.0.1:6379";
    private const string Ip2 = "10.0.0.2:6379";
    private const string Ip3 = "10.0.0.3:6379";

    public static readonly VectorRing A = new("A", [(Ip1, 1), (Ip2, 1), (Ip3, 1)], 2,
    [
        ("", [Ip2, Ip3]),
        ("61", [Ip2, Ip1]),
        ("666F6F", [Ip2, Ip3]),
        ("68656C6C6F20776F726C64", [Ip2, Ip3]),
        ("757365723A31303030", [Ip1, Ip2]),
        ("7B75736572313030307D2E666F6C6C6F77696E67", [Ip1, Ip2]),
        ("7B75736572313030307D2E666F6C6C6F77657273", [Ip1, Ip2]),
        ("7B7D", [Ip3, Ip2]),
        ("666F6F7B7D7B6261727D", [Ip2, Ip1]),
        ("80", [Ip2, Ip3]),
        ("FF", [Ip2, Ip3]),
        ("6BC3A979", [Ip2, Ip3]),
        ("73657373696F6E3A3432", [Ip1, Ip2]),
        ("636F756E7465723A37", [Ip3, Ip2]),
    ]);

    public static readonly VectorRing B = new("B", [("cache-a", 1), ("cache-b", 2), ("cache-c", 3), ("cache-d", 4)], 3,
    [
        ("", ["cache-c", "cache-d", "cache-a"]),
        ("61", ["cache-d", "cache-c", "cache-a"]),
        ("666F6F", ["cache-c", "cache-d", "cache-a"]),
        ("68656C6C6F20776F726C64", ["cache-d", "cache-b", "cache-a"]),
        ("757365723A31303030", ["cache-c", "cache-d", "cache-a"]),
        ("7B75736572313030307D2E666F6C6C6F77696E67", ["cache-d", "cache-c", "cache-b"]),
        ("7B75736572313030307D2E666F6C6C6F77657273", ["cache-d", "cache-c", "cache-b"]),
        ("7B7D", ["cache-b", "cache-d", "cache-c"]),
        ("666F6F7B7D7B6261727D", ["cache-d", "cache-c", "cache-b"]),
        ("80", ["cache-a", "cache-d", "cache-c"]),
        ("FF", ["cache-a", "cache-d", "cache-c"]),
        ("6BC3A979", ["cache-c", "cache-b", "cache-d"]),
        ("73657373696F6E3A3432", ["cache-b", "cache-a", "cache-d"]),
        ("636F756E7465723A37", ["cache-c", "cache-b", "cache-d"]),
    ]);

    public static readonly VectorRing C = new("C", [(Ip1, 29), (Ip2, 30), (Ip3, 1)], 3,
    [
        ("", [Ip2, Ip1, Ip3]),
        ("61", [Ip2, Ip1, Ip3]),
        ("666F6F", [Ip2, Ip1, Ip3]),
        ("68656C6C6F20776F726C64", [Ip2, Ip1, Ip3]),
        ("757365723A31303030", [Ip1, Ip2, Ip3]),
        ("7B75736572313030307D2E666F6C6C6F77696E67", [Ip1, Ip2, Ip3]),
        ("7B75736572313030307D2E666F6C6C6F77657273", [Ip1, Ip2, Ip3]),
        ("7B7D", [Ip1, Ip2, Ip3]),
        ("666F6F7B7D7B6261727D", [Ip2, Ip1, Ip3]),
        ("80", [Ip2, Ip1, Ip3]),
        ("FF", [Ip2, Ip1, Ip3]),
        ("6BC3A979", [Ip1, Ip2, Ip3]),
        ("73657373696F6E3A3432", [Ip2, Ip1, Ip3]),
        ("636F756E7465723A37", [Ip2, Ip1, Ip3]),
    ]);

    public static VectorRing ByLabel(string label) => label switch
    {
        "A" => A,
        "B" => B,
        "C" => C,
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, "No such vector ring."),
    };
}
