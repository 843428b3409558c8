namespace RedisRing.ZooKeeper;

/// <summary>A znode's metadata, as the server keeps it (jute record <c>Stat</c>).</summary>
/// <param name="CreatedZxid">Transaction that created the node.</param>
/// <param name="ModifiedZxid">Transaction that last changed the node's data.</param>
/// <param name="CreatedTime">Creation time, milliseconds since the Unix epoch.</param>
/// <param name="ModifiedTime">Last data change, milliseconds since the Unix epoch.</param>
/// <param name="Version">Data version, the one conditional writes compare.</param>
/// <param name="ChildVersion">Number of changes to the node's children.</param>
/// <param name="AclVersion">Number of changes to the node's ACL.</param>
/// <param name="EphemeralOwner">Session that owns an ephemeral node; 0 for other nodes.</param>
/// <param name="DataLength">Length of the node's data.</param>
/// <param name="NumChildren">Number of children.</param>
/// <param name="ChildrenZxid">Transaction that last changed the children.</param>
public sealed record Stat(
    long CreatedZxid,
    long ModifiedZxid,
    long CreatedTime,
    long ModifiedTime,
    int Version,
    int ChildVersion,
    int AclVersion,
    long EphemeralOwner,
    int DataLength,
    int NumChildren,
    long ChildrenZxid);
