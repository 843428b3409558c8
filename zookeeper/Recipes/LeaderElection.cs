using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RedisRing.ZooKeeper.Recipes;

/// <summary>
/// Leader election over ephemeral sequential nodes in a folder: the lowest sequence leads, every
/// other candidate watches only the node just before its own (no herd effect). Leadership is
/// given up as soon as the connection is lost (a suspended leader cannot know whether its
/// session still lives) and re-checked when it is back; after an expiry the candidate enters
/// again on the new session.
/// </summary>
public sealed partial class LeaderElection : IAsyncDisposable
{
    private readonly ZooKeeperClient _client;
    private readonly ILogger _logger;
    private readonly RecipeWorker _worker;
    private readonly Action<WatchedEvent> _onEvent;
    private readonly string _prefix = "n_" + Guid.NewGuid().ToString("N") + "-";
    private readonly byte[] _data;
    private readonly Lock _lock = new();
    private TaskCompletionSource _leaderSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _isLeader;

    private LeaderElection(ZooKeeperClient client, string folder, byte[] data, ILogger logger)
    {
        _client = client;
        Folder = folder;
        _data = data;
        _logger = logger;
        _onEvent = _ => _worker!.Poke();
        _worker = new RecipeWorker("election " + folder, ReconcileAsync, logger);
        _client.StateChanged += OnStateChanged;
    }

    /// <summary>Raised with the new value whenever <see cref="IsLeader"/> changes.</summary>
    public event EventHandler<bool>? LeadershipChanged;

    public string Folder { get; }

    public bool IsLeader => _isLeader;

    /// <summary>The candidate's node, once created (full path, with its sequence number).</summary>
    public string? NodePath { get; private set; }

    /// <summary>Enters the election (returns at once; watch <see cref="LeadershipChanged"/> or wait).</summary>
    public static LeaderElection Start(ZooKeeperClient client, string folder, ReadOnlyMemory<byte> candidateData = default, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ZooKeeperPath.Validate(folder);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<LeaderElection>();
        var election = new LeaderElection(client, folder, candidateData.ToArray(), logger);
        election._worker.Poke();
        return election;
    }

    /// <summary>Waits until this candidate leads (returns at once when it does).</summary>
    public Task WaitForLeadershipAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return _leaderSignal.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Leaves the election: gives up leadership and deletes the candidate node.</summary>
    public async ValueTask DisposeAsync()
    {
        _client.StateChanged -= OnStateChanged;
        await _worker.DisposeAsync();
        SetLeader(false);
        if (NodePath is { } node && _client.State == ZooKeeperState.Connected)
        {
            try
            {
                await _client.DeleteAsync(node);
            }
            catch (ZooKeeperException)
            {
                // Already gone with its session.
            }
        }
    }

    private void OnStateChanged(object? sender, ZooKeeperStateChangedEventArgs e)
    {
        if (e.State != ZooKeeperState.Connected)
        {
            SetLeader(false);
        }

        if (e.State is ZooKeeperState.Connected or ZooKeeperState.Expired)
        {
            _worker.Poke();
        }
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await SessionRenewal.EnsureSessionAsync(_client, cancellationToken);
        if (_client.State != ZooKeeperState.Connected)
        {
            SetLeader(false);
            return; // poked again on Connected
        }

        var sessionId = _client.SessionId;
        IReadOnlyList<string> children;
        try
        {
            children = (await _client.GetChildrenAsync(Folder, cancellationToken: cancellationToken)).Children;
        }
        catch (NoNodeException)
        {
            await CreateFolderAsync(Folder, cancellationToken);
            _worker.Poke();
            return;
        }

        var candidates = children.Where(c => c.Length > 10).OrderBy(Sequence, StringComparer.Ordinal).ToList();
        var own = await FindOwnNodeAsync(candidates, sessionId, cancellationToken);
        if (own is null)
        {
            NodePath = await _client.CreateAsync(ZooKeeperPath.Combine(Folder, _prefix), _data, CreateMode.EphemeralSequential, cancellationToken: cancellationToken);
            _worker.Poke();
            return;
        }

        NodePath = ZooKeeperPath.Combine(Folder, own);
        var index = candidates.IndexOf(own);
        if (index == 0)
        {
            // Watch our own node too: if it is deleted under us, we stop leading at once.
            if (await _client.ExistsAsync(NodePath, _onEvent, cancellationToken) is { } stat && stat.EphemeralOwner == sessionId && _client.SessionId == sessionId)
            {
                SetLeader(true);
            }
            else
            {
                SetLeader(false);
                _worker.Poke();
            }

            return;
        }

        SetLeader(false);
        var predecessor = ZooKeeperPath.Combine(Folder, candidates[index - 1]);
        if (await _client.ExistsAsync(predecessor, _onEvent, cancellationToken) is null)
        {
            _worker.Poke(); // it went between the listing and the watch
        }
    }

    /// <summary>Our node for this session; nodes of an earlier session of ours are deleted.</summary>
    private async Task<string?> FindOwnNodeAsync(List<string> candidates, long sessionId, CancellationToken cancellationToken)
    {
        foreach (var name in candidates.Where(c => c.StartsWith(_prefix, StringComparison.Ordinal)).ToList())
        {
            var stat = await _client.ExistsAsync(ZooKeeperPath.Combine(Folder, name), cancellationToken: cancellationToken);
            if (stat is null)
            {
                candidates.Remove(name);
                continue;
            }

            if (stat.EphemeralOwner == sessionId)
            {
                return name;
            }

            try
            {
                await _client.DeleteAsync(ZooKeeperPath.Combine(Folder, name), stat.Version, cancellationToken);
            }
            catch (NoNodeException)
            {
            }

            candidates.Remove(name);
        }

        return null;
    }

    private async Task CreateFolderAsync(string path, CancellationToken cancellationToken)
    {
        if (path == "/")
        {
            return;
        }

        try
        {
            await _client.CreateAsync(path, cancellationToken: cancellationToken);
        }
        catch (NoNodeException)
        {
            await CreateFolderAsync(ZooKeeperPath.Parent(path), cancellationToken);
            await CreateFolderAsync(path, cancellationToken);
        }
        catch (NodeExistsException)
        {
        }
    }

    // The server's 10-digit suffix orders candidates whatever their prefixes.
    private static string Sequence(string name) => name[^10..];

    private void SetLeader(bool leader)
    {
        lock (_lock)
        {
            if (_isLeader == leader)
            {
                return;
            }

            _isLeader = leader;
            if (leader)
            {
                _leaderSignal.TrySetResult();
            }
            else
            {
                _leaderSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        LogLeadership(Folder, leader);
        LeadershipChanged?.Invoke(this, leader);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Election {Folder}: leader = {IsLeader}")]
    private partial void LogLeadership(string folder, bool isLeader);
}
