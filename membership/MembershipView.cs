using RedisRing.ZooKeeper.Recipes;

namespace RedisRing.Membership;

/// <summary>
/// The valid node records of a <c>nodes/</c> snapshot, ordered by address, and the znodes that
/// were ignored with the reason (bad data never breaks the ring; the reader logs the reasons).
/// </summary>
public sealed class MembershipView
{
    private MembershipView(IReadOnlyList<NodeRecord> nodes, IReadOnlyList<(string Znode, string Reason)> rejected)
    {
        Nodes = nodes;
        Rejected = rejected;
    }

    public IReadOnlyList<NodeRecord> Nodes { get; }

    public IReadOnlyList<(string Znode, string Reason)> Rejected { get; }

    /// <summary>Nodes that serve reads.</summary>
    public IEnumerable<NodeRecord> Up => Nodes.Where(n => n.State == NodeState.Up);

    public static MembershipView From(ChildrenSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return From(snapshot.Children.Values.Select(c => (c.Name, c.Data)));
    }

    public static MembershipView From(IEnumerable<(string Name, byte[] Data)> children)
    {
        var nodes = new List<NodeRecord>();
        var rejected = new List<(string, string)>();
        foreach (var (name, data) in children.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            if (NodeRecord.TryParse(name, data, out var record, out var error))
            {
                nodes.Add(record);
            }
            else
            {
                rejected.Add((name, error));
            }
        }

        return new MembershipView(nodes, rejected);
    }
}
