namespace RedisRing.ZooKeeper;

/// <summary>A node's data and metadata.</summary>
public sealed record DataResult(byte[] Data, Stat Stat);

/// <summary>A node's children (names, not paths, in the server's order) and its metadata.</summary>
public sealed record ChildrenResult(IReadOnlyList<string> Children, Stat Stat);

/// <summary>A node's ACL and metadata.</summary>
public sealed record AclResult(IReadOnlyList<Acl> Acl, Stat Stat);
