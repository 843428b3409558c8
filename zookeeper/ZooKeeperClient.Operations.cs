using System.Text;
using RedisRing.ZooKeeper.Protocol;

namespace RedisRing.ZooKeeper;

public sealed partial class ZooKeeperClient
{
    // The largest TTL the server accepts (EphemeralType.TTL: 40 bits of milliseconds).
    private static readonly TimeSpan s_maxTtl = TimeSpan.FromMilliseconds(0xFFFFFFFFFFL - 1);

    /// <summary>Creates a node and returns its path (with the sequence number, for sequential modes).</summary>
    /// <param name="path">The node's path; for sequential modes the server appends a 10-digit number.</param>
    /// <param name="data">The node's data.</param>
    /// <param name="mode">Persistent, ephemeral, sequential, container or TTL.</param>
    /// <param name="acl">The node's ACL (world:anyone with every permission when null).</param>
    /// <param name="ttl">Required for the TTL modes, refused for the others.</param>
    /// <param name="cancellationToken">Stops waiting; a request already sent may still be applied.</param>
    public Task<string> CreateAsync(string path, ReadOnlyMemory<byte> data = default, CreateMode mode = CreateMode.Persistent,
        IReadOnlyList<Acl>? acl = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        var (opCode, write) = CreateRequest(path, data, mode, acl ?? Acl.OpenUnsafe, ttl);
        return Submit(opCode, write, (error, ref body) =>
        {
            ThrowIfError(error, path);
            var created = body.ReadString() ?? throw new JuteFormatException("Create reply without a path.");
            return _connectString.ToClientPath(created);
        }, cancellationToken);
    }

    /// <summary>Deletes a node; <paramref name="version"/> -1 matches any version.</summary>
    public Task DeleteAsync(string path, int version = -1, CancellationToken cancellationToken = default)
    {
        ZooKeeperPath.Validate(path);
        var serverPath = ServerPath(path);
        return Submit(OpCode.Delete, w =>
        {
            w.WriteString(serverPath);
            w.WriteInt(version);
        }, (error, ref _) =>
        {
            ThrowIfError(error, path);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// The node's metadata, or null when it does not exist. A watcher set here fires once when
    /// the node is created, changed or deleted (whether it existed or not).
    /// </summary>
    public Task<Stat?> ExistsAsync(string path, Action<WatchedEvent>? watcher = null, CancellationToken cancellationToken = default)
    {
        ZooKeeperPath.Validate(path);
        var serverPath = ServerPath(path);
        return Submit<Stat?>(OpCode.Exists, w =>
        {
            w.WriteString(serverPath);
            w.WriteBool(watcher is not null);
        }, (error, ref body) =>
        {
            if (error == ErrorCode.NoNode)
            {
                // The server keeps an exists watch on a missing node: it fires on creation.
                if (watcher is not null)
                {
                    _watches.AddExist(serverPath, watcher);
                }

                return null;
            }

            ThrowIfError(error, path);
            if (watcher is not null)
            {
                _watches.AddData(serverPath, watcher);
            }

            return body.ReadStat();
        }, cancellationToken);
    }

    /// <summary>The node's data and metadata; a watcher fires once on a data change or deletion.</summary>
    public Task<DataResult> GetDataAsync(string path, Action<WatchedEvent>? watcher = null, CancellationToken cancellationToken = default)
    {
        ZooKeeperPath.Validate(path);
        var serverPath = ServerPath(path);
        return Submit(OpCode.GetData, w =>
        {
            w.WriteString(serverPath);
            w.WriteBool(watcher is not null);
        }, (error, ref body) =>
        {
            ThrowIfError(error, path);
            if (watcher is not null)
            {
                _watches.AddData(serverPath, watcher);
            }

            var data = body.ReadBuffer() ?? [];
            return new DataResult(data, body.ReadStat());
        }, cancellationToken);
    }

    /// <summary>Replaces the node's data if its version is <paramref name="version"/> (-1: any).</summary>
    public Task<Stat> SetDataAsync(string path, ReadOnlyMemory<byte> data, int version = -1, CancellationToken cancellationToken = default)
    {
        ZooKeeperPath.Validate(path);
        var serverPath = ServerPath(path);
        return Submit(OpCode.SetData, w =>
        {
            w.WriteString(serverPath);
            w.WriteBuffer(data.Span);
            w.WriteInt(version);
        }, (error, ref body) =>
        {
            ThrowIfError(error, path);
            return body.ReadStat();
        }, cancellationToken);
    }

    /// <summary>The node's children and metadata; a watcher fires once when children change or the node is deleted.</summary>
    public Task<ChildrenResult> GetChildrenAsync(string path, Action<WatchedEvent>? watcher = null, CancellationToken cancellationToken = default)
    {
        ZooKeeperPath.Validate(path);
        var serverPath = ServerPath(path);
        return Submit(OpCode.GetChildren2, w =>
        {
            w.WriteString(serverPath);
            w.WriteBool(watcher is not null);
        }, (error, ref body) =>
        {
            ThrowIfError(error, path);
            if (watcher is not null)
            {
                _watches.AddChild(serverPath, watcher);
            }

            var children = body.ReadStrings();
            return new ChildrenResult(children, body.ReadStat());
        }, cancellationToken);
    }

    /// <summary>Makes the connected server catch up with the leader, so a following read sees every write committed before.</summary>
    public Task SyncAsync(string path, CancellationToken cancellationToken = default)
    {
        ZooKeeperPath.Validate(path);
        var serverPath = ServerPath(path);
        return Submit(OpCode.Sync, w => w.WriteString(serverPath), (error, ref _) =>
        {
            ThrowIfError(error, path);
            return true;
        }, cancellationToken);
    }

    public Task<AclResult> GetAclAsync(string path, CancellationToken cancellationToken = default)
    {
        ZooKeeperPath.Validate(path);
        var serverPath = ServerPath(path);
        return Submit(OpCode.GetAcl, w => w.WriteString(serverPath), (error, ref body) =>
        {
            ThrowIfError(error, path);
            var acl = body.ReadAcl();
            return new AclResult(acl, body.ReadStat());
        }, cancellationToken);
    }

    /// <summary>Replaces the node's ACL if its ACL version is <paramref name="aclVersion"/> (-1: any).</summary>
    public Task<Stat> SetAclAsync(string path, IReadOnlyList<Acl> acl, int aclVersion = -1, CancellationToken cancellationToken = default)
    {
        ZooKeeperPath.Validate(path);
        CheckAcl(acl, path);
        var serverPath = ServerPath(path);
        return Submit(OpCode.SetAcl, w =>
        {
            w.WriteString(serverPath);
            w.WriteAcl(acl);
            w.WriteInt(aclVersion);
        }, (error, ref body) =>
        {
            ThrowIfError(error, path);
            return body.ReadStat();
        }, cancellationToken);
    }

    /// <summary>
    /// Adds credentials to the session; they are sent again after every reconnect. A scheme the
    /// server does not know ends the session with <see cref="ZooKeeperState.AuthFailed"/>.
    /// </summary>
    public async Task AddAuthAsync(string scheme, ReadOnlyMemory<byte> auth, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        var copy = auth.ToArray();
        lock (_authInfo)
        {
            _authInfo.Add((scheme, copy));
        }

        var error = await Submit(OpCode.Auth, w =>
        {
            w.WriteInt(0);
            w.WriteString(scheme);
            w.WriteBuffer(copy);
        }, static (error, ref _) => error, cancellationToken, Xids.Auth);
        ThrowIfError(error, null);
    }

    /// <summary>Authenticates as <c>user:password</c> with the digest scheme (match with <see cref="Acl.Digest"/>).</summary>
    public Task AddDigestAuthAsync(string user, string password, CancellationToken cancellationToken = default) =>
        AddAuthAsync("digest", Encoding.UTF8.GetBytes(user + ":" + password), cancellationToken);

    /// <summary>
    /// Sets a watch that stays until removed (ZooKeeper 3.6+): every event of the node, or in
    /// recursive mode of the node and all below it. Restored after a reconnect like the others.
    /// </summary>
    public Task AddWatchAsync(string path, AddWatchMode mode, Action<WatchedEvent> watcher, CancellationToken cancellationToken = default)
    {
        ZooKeeperPath.Validate(path);
        ArgumentNullException.ThrowIfNull(watcher);
        var serverPath = ServerPath(path);
        return Submit(OpCode.AddWatch, w =>
        {
            w.WriteString(serverPath);
            w.WriteInt((int)mode);
        }, (error, ref _) =>
        {
            ThrowIfError(error, path);
            _watches.AddPersistent(serverPath, mode, watcher);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Removes a watcher added with <see cref="AddWatchAsync"/>; the server's watch goes when the
    /// path has no watcher of that mode left.
    /// </summary>
    public async Task RemoveWatchAsync(string path, AddWatchMode mode, Action<WatchedEvent> watcher, CancellationToken cancellationToken = default)
    {
        ZooKeeperPath.Validate(path);
        var serverPath = ServerPath(path);
        if (!_watches.RemovePersistent(serverPath, mode, watcher))
        {
            return;
        }

        // ZooKeeper 3.8 removes a persistent watch only with WatcherType Any (3), which also drops
        // the one-shot watches of the path: keep the server's watch while any of those remain,
        // the registry already stopped delivering to the removed watcher.
        if (_watches.HasOneShot(serverPath))
        {
            return;
        }

        const int watcherTypeAny = 3;
        await Submit(OpCode.RemoveWatches, w =>
        {
            w.WriteString(serverPath);
            w.WriteInt(watcherTypeAny);
        }, (error, ref _) =>
        {
            if (error != ErrorCode.NoWatcher)
            {
                ThrowIfError(error, path);
            }

            return true;
        }, cancellationToken);
    }

    private static void ThrowIfError(ErrorCode error, string? path)
    {
        if (error != ErrorCode.Ok)
        {
            throw ZooKeeperException.Create(error, path);
        }
    }

    private static void CheckAcl(IReadOnlyList<Acl> acl, string path)
    {
        if (acl is null || acl.Count == 0)
        {
            throw new InvalidAclException(path);
        }
    }

    private string ServerPath(string path) => _connectString.ToServerPath(path);

    private (OpCode OpCode, Action<JuteWriter> Write) CreateRequest(string path, ReadOnlyMemory<byte> data, CreateMode mode, IReadOnlyList<Acl> acl, TimeSpan? ttl)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown create mode.");
        }

        ZooKeeperPath.Validate(path, mode.IsSequential());
        CheckAcl(acl, path);
        if (mode.IsTtl() != ttl.HasValue)
        {
            throw new ArgumentException(mode.IsTtl() ? "TTL modes need a TTL." : "Only TTL modes take a TTL.", nameof(ttl));
        }

        if (ttl is { } value && (value <= TimeSpan.Zero || value > s_maxTtl))
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), value, "TTL must be positive and below 2^40 ms.");
        }

        var serverPath = ServerPath(path);
        var opCode = mode switch
        {
            CreateMode.Container => OpCode.CreateContainer,
            CreateMode.PersistentWithTtl or CreateMode.PersistentSequentialWithTtl => OpCode.CreateTtl,
            _ => OpCode.Create2,
        };
        return (opCode, w =>
        {
            w.WriteString(serverPath);
            w.WriteBuffer(data.Span);
            w.WriteAcl(acl);
            w.WriteInt((int)mode);
            if (ttl is { } t)
            {
                w.WriteLong((long)t.TotalMilliseconds);
            }
        });
    }
}
