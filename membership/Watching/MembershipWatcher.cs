using Microsoft.Extensions.Logging;
using RedisRing.ZooKeeper;
using RedisRing.ZooKeeper.Recipes;

namespace RedisRing.Membership.Watching;

/// <summary>
/// Watches a cluster's <c>nodes/</c> (members), <c>live/</c> (liveness) and <c>config</c> and keeps a <see cref="MembershipSnapshot"/>:
/// bursts of changes are debounced into one rebuild, a rebuild that changes nothing keeps the
/// snapshot, and bad znodes are skipped with a warning. When ZooKeeper is unreachable or the
/// session expired, the last snapshot stays (static stability) and <see cref="IsConnected"/> says
/// so; the children cache re-reads everything when the connection or a new session is back.
/// </summary>
public sealed partial class MembershipWatcher : IAsyncDisposable
{
    private readonly ZooKeeperClient _client;
    private readonly ClusterLayout _layout;
    private readonly MembershipWatcherOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private ChildrenCache? _nodes;
    private ChildrenCache? _live;
    private MembershipSnapshot _current;
    private RingConfig? _config;
    private bool _rebuildScheduled;

    private MembershipWatcher(ZooKeeperClient client, ClusterLayout layout, MembershipWatcherOptions options)
    {
        _client = client;
        _layout = layout;
        _options = options;
        _logger = options.LoggerFactory.CreateLogger<MembershipWatcher>();
        _current = new MembershipSnapshot(0, MembershipView.From([]), new Dictionary<string, string>(), null, options.TimeProvider.GetUtcNow());
        _client.StateChanged += OnStateChanged;
    }

    /// <summary>Raised after <see cref="Current"/> changed, the ring or only liveness (on a thread-pool thread).</summary>
    public event EventHandler<MembershipSnapshot>? Changed;

    public MembershipSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Whether the ZooKeeper session is connected now (the snapshot may be stale when not).</summary>
    public bool IsConnected => _client.State == ZooKeeperState.Connected;

    public ZooKeeperState ZooKeeperState => _client.State;

    /// <summary>When the connection state last changed (or the watcher started).</summary>
    public DateTimeOffset ConnectionChangedAt { get; private set; }

    /// <summary>Starts watching and returns once the first snapshot is built.</summary>
    public static async Task<MembershipWatcher> StartAsync(ZooKeeperClient client, ClusterLayout layout, MembershipWatcherOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(layout);
        var watcher = new MembershipWatcher(client, layout, options ?? new MembershipWatcherOptions());
        watcher.ConnectionChangedAt = watcher._options.TimeProvider.GetUtcNow();
        try
        {
            await watcher.ReadConfigAsync(cancellationToken);
            watcher._nodes = await ChildrenCache.StartAsync(client, layout.Nodes, watcher._options.LoggerFactory, cancellationToken);
            watcher._nodes.Changed += (_, _) => watcher.ScheduleRebuild();
            watcher._live = await ChildrenCache.StartAsync(client, layout.Live, watcher._options.LoggerFactory, cancellationToken);
            watcher._live.Changed += (_, _) => watcher.ScheduleRebuild();
            watcher.Rebuild();
            return watcher;
        }
        catch
        {
            await watcher.DisposeAsync();
            throw;
        }
    }

    private void OnStateChanged(object? sender, ZooKeeperStateChangedEventArgs e)
    {
        ConnectionChangedAt = _options.TimeProvider.GetUtcNow();
        if (e.State == ZooKeeperState.Connected)
        {
            LogConnected(_layout.Cluster);
            _ = Task.Run(async () =>
            {
                try
                {
                    await ReadConfigAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is ZooKeeperException or OperationCanceledException)
                {
                }

                ScheduleRebuild();
            });
        }
        else
        {
            LogKeepingLastRing(_layout.Cluster, e.State.ToString(), Current.Version);
        }
    }

    private async Task ReadConfigAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (data, _) = await _client.GetDataAsync(_layout.Config, OnConfigEvent, cancellationToken);
            if (RingConfig.TryParse(data, out var config, out var error))
            {
                _config = config;
            }
            else
            {
                LogBadConfig(_layout.Config, error);
            }
        }
        catch (NoNodeException)
        {
            _config = null;
        }
    }

    private void OnConfigEvent(WatchedEvent e) => _ = ReadConfigAndRebuildAsync();

    private async Task ReadConfigAndRebuildAsync()
    {
        try
        {
            await ReadConfigAsync(_stop.Token);
        }
        catch (Exception e) when (e is ZooKeeperException or OperationCanceledException)
        {
            return;
        }

        ScheduleRebuild();
    }

    private void ScheduleRebuild()
    {
        lock (_lock)
        {
            if (_rebuildScheduled || _stop.IsCancellationRequested)
            {
                return;
            }

            _rebuildScheduled = true;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(_options.Debounce, _options.TimeProvider, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (_lock)
            {
                _rebuildScheduled = false;
            }

            Rebuild();
        });
    }

    private void Rebuild()
    {
        var nodes = _nodes;
        if (nodes is null)
        {
            return;
        }

        var view = MembershipView.From(nodes.Current);
        foreach (var (znode, reason) in view.Rejected)
        {
            LogIgnoredZnode(znode, reason);
        }

        var live = ReadLiveness();
        MembershipSnapshot next;
        bool ringChanged;
        lock (_lock)
        {
            var current = _current;
            ringChanged = current.Version == 0 || !current.SameRing(view, _config);
            if (!ringChanged && current.SameLiveness(live) && current.Rejected.SequenceEqual(view.Rejected))
            {
                return;
            }

            // Not a ring change when only liveness or the ignored znodes differ: same version.
            next = ringChanged
                ? new MembershipSnapshot(current.Version + 1, view, live, _config, _options.TimeProvider.GetUtcNow())
                : new MembershipSnapshot(current.Version, view, live, _config, current.ChangedAt);
            Volatile.Write(ref _current, next);
        }

        if (ringChanged)
        {
            LogRingChanged(next.Version, string.Join(", ", next.Nodes.Select(n => $"{n.Address}={n.State.ToJson()}{(next.IsLive(n) ? "" : " (not live)")}")));
        }

        Changed?.Invoke(this, next);
    }

    private Dictionary<string, string> ReadLiveness()
    {
        var live = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_live is null)
        {
            return live;
        }

        foreach (var child in _live.Current.Children.Values)
        {
            if (LivenessRecord.TryParse(child.Name, child.Data, out var record, out var error))
            {
                live[child.Name] = record.RunId;
            }
            else
            {
                LogIgnoredZnode(child.Name, error);
            }
        }

        return live;
    }

    public async ValueTask DisposeAsync()
    {
        _client.StateChanged -= OnStateChanged;
        await _stop.CancelAsync();
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }

        if (_live is not null)
        {
            await _live.DisposeAsync();
        }

        _stop.Dispose();
    }
}
