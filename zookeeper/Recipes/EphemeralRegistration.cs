using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RedisRing.ZooKeeper.Recipes;

/// <summary>
/// Keeps an ephemeral node at a fixed path for as long as it is not disposed: re-created after
/// the session expires (on a new session), and only ever considered registered when the node's
/// owner is this client's current session. A node left by an older session (or by someone else)
/// is waited out, never overwritten. Missing parents are created as persistent nodes.
/// </summary>
public sealed partial class EphemeralRegistration : IAsyncDisposable
{
    private readonly ZooKeeperClient _client;
    private readonly ILogger _logger;
    private readonly RecipeWorker _worker;
    private readonly Action<WatchedEvent> _onNodeEvent;
    private readonly Lock _lock = new();
    private readonly IReadOnlyList<Acl> _acl;
    private byte[] _data;
    private volatile bool _registered;

    // The session that created the node through this registration: its data is ours, nothing to
    // read back (a proxy's announcement grants it no more than the folder gave).
    private long _createdBySession;
    private TaskCompletionSource _registeredSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EphemeralRegistration(ZooKeeperClient client, string path, byte[] data, IReadOnlyList<Acl> acl, ILogger logger)
    {
        _client = client;
        _acl = acl;
        Path = path;
        _data = data;
        _logger = logger;
        _onNodeEvent = _ => _worker!.Poke();
        _worker = new RecipeWorker("registration " + path, ReconcileAsync, logger);
        _client.StateChanged += OnStateChanged;
    }

    /// <summary>Raised (on the client's dispatcher or the recipe's task) when <see cref="IsRegistered"/> changes.</summary>
    public event EventHandler<bool>? RegisteredChanged;

    public string Path { get; }

    /// <summary>Whether the node exists and belongs to the client's current session, as last seen.</summary>
    public bool IsRegistered => _registered;

    /// <summary>
    /// Starts keeping the node and waits until it is registered the first time (which may take as
    /// long as another session holds the node: bound the wait with <paramref name="cancellationToken"/>).
    /// </summary>
    public static Task<EphemeralRegistration> StartAsync(ZooKeeperClient client, string path, ReadOnlyMemory<byte> data,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default) =>
        StartAsync(client, path, data, Acl.OpenUnsafe, loggerFactory, cancellationToken);

    /// <summary>
    /// As above, with the ACL the node is created with (on every re-creation too); missing
    /// parents are still created with the open ACL, so create protected parents beforehand.
    /// </summary>
    public static async Task<EphemeralRegistration> StartAsync(ZooKeeperClient client, string path, ReadOnlyMemory<byte> data,
        IReadOnlyList<Acl> acl, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(acl);
        ZooKeeperPath.Validate(path);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<EphemeralRegistration>();
        var registration = new EphemeralRegistration(client, path, data.ToArray(), acl, logger);
        registration._worker.Poke();
        try
        {
            await registration.WaitRegisteredAsync(cancellationToken);
            return registration;
        }
        catch
        {
            await registration.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the node is registered (returns at once when it is).</summary>
    public Task WaitRegisteredAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return _registeredSignal.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Changes the node's data; kept for re-creations too.</summary>
    public async Task UpdateDataAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        _data = data.ToArray();
        // Until written, a node this session created no longer says what it should.
        Interlocked.Exchange(ref _createdBySession, 0);
        if (_registered)
        {
            await _client.SetDataAsync(Path, _data, cancellationToken: cancellationToken);
            Interlocked.Exchange(ref _createdBySession, _client.SessionId);
        }
    }

    /// <summary>Stops, and deletes the node if this session still owns it.</summary>
    public async ValueTask DisposeAsync()
    {
        _client.StateChanged -= OnStateChanged;
        await _worker.DisposeAsync();
        if (_client.State == ZooKeeperState.Connected)
        {
            try
            {
                var stat = await _client.ExistsAsync(Path);
                if (stat is not null && stat.EphemeralOwner == _client.SessionId)
                {
                    await _client.DeleteAsync(Path, stat.Version);
                }
            }
            catch (ZooKeeperException)
            {
                // Gone already, or the session is: the ephemeral node goes with it.
            }
        }

        SetRegistered(false);
    }

    private void OnStateChanged(object? sender, ZooKeeperStateChangedEventArgs e)
    {
        if (e.State is ZooKeeperState.Expired or ZooKeeperState.AuthFailed or ZooKeeperState.Closed)
        {
            SetRegistered(false);
        }

        if (e.State is ZooKeeperState.Connected or ZooKeeperState.Expired)
        {
            _worker.Poke();
        }
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await SessionRenewal.EnsureSessionAsync(_client, cancellationToken);
        var stat = await _client.ExistsAsync(Path, _onNodeEvent, cancellationToken);
        if (stat is null)
        {
            await CreateAsync(cancellationToken);
            return;
        }

        if (stat.EphemeralOwner == _client.SessionId)
        {
            if (Interlocked.Read(ref _createdBySession) == _client.SessionId)
            {
                SetRegistered(true);
                return;
            }

            // Ours, but left by an earlier registration of this session that could not delete it
            // while disconnected: it must say what this registration says.
            try
            {
                var current = await _client.GetDataAsync(Path, cancellationToken: cancellationToken);
                if (!current.Data.AsSpan().SequenceEqual(_data))
                {
                    await _client.SetDataAsync(Path, _data, current.Stat.Version, cancellationToken);
                }
            }
            catch (NoAuthException)
            {
                // Its ACL does not let us read or rewrite it: create it again instead.
                await _client.DeleteAsync(Path, stat.Version, cancellationToken);
                _worker.Poke();
                return;
            }

            Interlocked.Exchange(ref _createdBySession, _client.SessionId);
            SetRegistered(true);
            return;
        }

        // Someone else's node, or our previous session's not yet expired on the server: the
        // exists watch just set pokes us when it is deleted.
        LogWaitingForStaleNode(Path, stat.EphemeralOwner);
        SetRegistered(false);
    }

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.CreateAsync(Path, _data, CreateMode.Ephemeral, _acl, cancellationToken: cancellationToken);
        }
        catch (NoNodeException)
        {
            await CreateParentsAsync(ZooKeeperPath.Parent(Path), cancellationToken);
            _worker.Poke();
            return;
        }
        catch (NodeExistsException)
        {
            _worker.Poke();
            return;
        }

        Interlocked.Exchange(ref _createdBySession, _client.SessionId);
        LogRegistered(Path, _client.SessionId);
        SetRegistered(true);
        _worker.Poke(); // check again: sets the watch on the node just created
    }

    private async Task CreateParentsAsync(string path, CancellationToken cancellationToken)
    {
        if (path == "/" || await _client.ExistsAsync(path, cancellationToken: cancellationToken) is not null)
        {
            return;
        }

        await CreateParentsAsync(ZooKeeperPath.Parent(path), cancellationToken);
        try
        {
            await _client.CreateAsync(path, cancellationToken: cancellationToken);
        }
        catch (NodeExistsException)
        {
        }
    }

    private void SetRegistered(bool registered)
    {
        lock (_lock)
        {
            if (_registered == registered)
            {
                return;
            }

            _registered = registered;
            if (registered)
            {
                _registeredSignal.TrySetResult();
            }
            else
            {
                _registeredSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        RegisteredChanged?.Invoke(this, registered);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {Path} (session 0x{SessionId:x})")]
    private partial void LogRegistered(string path, long sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Path} is held by session 0x{Owner:x}; waiting for it to go")]
    private partial void LogWaitingForStaleNode(string path, long owner);
}
