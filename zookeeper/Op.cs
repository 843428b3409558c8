namespace RedisRing.ZooKeeper;

/// <summary>One operation of a transaction (<see cref="ZooKeeperClient.MultiAsync"/>).</summary>
public abstract record Op(string Path)
{
    public static Op Create(string path, ReadOnlyMemory<byte> data, CreateMode mode = CreateMode.Persistent, IReadOnlyList<Acl>? acl = null, TimeSpan? ttl = null) =>
        new CreateOp(path, data, mode, acl ?? Acl.OpenUnsafe, ttl);

    public static Op Delete(string path, int version = -1) => new DeleteOp(path, version);

    public static Op SetData(string path, ReadOnlyMemory<byte> data, int version = -1) => new SetDataOp(path, data, version);

    /// <summary>Fails the transaction unless the node's data version is <paramref name="version"/>.</summary>
    public static Op Check(string path, int version) => new CheckOp(path, version);
}

public sealed record CreateOp(string Path, ReadOnlyMemory<byte> Data, CreateMode Mode, IReadOnlyList<Acl> Acl, TimeSpan? Ttl) : Op(Path);

public sealed record DeleteOp(string Path, int Version) : Op(Path);

public sealed record SetDataOp(string Path, ReadOnlyMemory<byte> Data, int Version) : Op(Path);

public sealed record CheckOp(string Path, int Version) : Op(Path);
