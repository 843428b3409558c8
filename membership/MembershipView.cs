using RedisRing.ZooKeeper.Recipes;

namespace RedisRing.Membership;

/// <summary>
/// The valid node records of a <c>nodes/</c> snapshot, ordered by address, and the znodes that
/// were ignored with the reason (bad data never breaks the ring; the reader logs the reasons).
/// </summary>
public sealed class MembershipView
{
    private MembershipView(IReadOnlyList<NodeRecord> nodes, IReadOnlyList<(string Znode, string Reason)> rejected, IReadOnlyDictionary<string, MemberZnode> znodes)
    {
        Nodes = nodes;
        Rejected = rejected;
        Znodes = znodes;
    }

    public IReadOnlyList<NodeRecord> Nodes { get; }

    public IReadOnlyList<(string Znode, string Reason)> Rejected { get; }

    /// <summary>Each valid member's znode identity and version, by address (empty when built from data alone).</summary>
    public IReadOnlyDictionary<string, MemberZnode> Znodes { get; }

    /// <summary>The znode of <paramref name="address"/>'s member; creation zxid 0 when unknown.</summary>
    public MemberZnode ZnodeOf(NodeAddress address) => Znodes.TryGetValue(address.ToString(), out var znode) ? znode : default;

    /// <summary>Nodes that serve reads.</summary>
    public IEnumerable<NodeRecord> Up => Nodes.Where(n => n.State == NodeState.Up);

    public static MembershipView From(ChildrenSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var znodes = snapshot.Children.Values.ToDictionary(c => c.Name, c => new MemberZnode(c.Stat.CreatedZxid, c.Stat.Version), StringComparer.Ordinal);
        return From(snapshot.Children.Values.Select(c => (c.Name, c.Data)), znodes);
    }

    public static MembershipView From(IEnumerable<(string Name, byte[] Data)> children) => From(children, new Dictionary<string, MemberZnode>());

    internal static MembershipView From(IEnumerable<(string Name, byte[] Data)> children, IReadOnlyDictionary<string, MemberZnode> znodes)
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

        return new MembershipView(nodes, rejected, znodes);
    }
}
