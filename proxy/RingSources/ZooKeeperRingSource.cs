using System.Net;
using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.Membership.Watching;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Repair;
using RedisRing.Proxy.Routing;
using RedisRing.ZooKeeper;
using RedisRing.ZooKeeper.Recipes;

namespace RedisRing.Proxy.RingSources;

/// <summary>
/// Keeps the proxy's routing table in step with the cluster's membership in ZooKeeper: connects
/// (retrying until ZooKeeper answers), watches <c>nodes/</c> and <c>config</c> through the
/// <see cref="MembershipWatcher"/>, turns every new snapshot into a table
/// (<see cref="RoutingTableBuilder"/>), installs it, and announces the proxy under
/// <c>proxies/</c>. While ZooKeeper is unreachable the last table stays in service (static
/// stability).
/// </summary>
internal sealed partial class ZooKeeperRingSource : IRingSource, IAsyncDisposable
{
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly ProxyOptions _proxyOptions;
    private readonly ZooKeeperOptions _options;
    private readonly CurrentRoutingTable _routing;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ClusterLayout _layout;
    private readonly RoutingTableBuilder _builder;
    private readonly DownMemberRemover _remover;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private RingConfig? _warnedConfig;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstRing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _applyLock = new();
    private ZooKeeperClient? _client;
    private MembershipWatcher? _watcher;
    private EphemeralRegistration? _announcement;
    private Task _run = Task.CompletedTask;
    private Task _repair = Task.CompletedTask;
    private WarmUpParticipant? _participant;
    private Repairer? _repairer;

    private ZooKeeperRingSource(ProxyOptions proxyOptions, ZooKeeperOptions options, CurrentRoutingTable routing, BackendNodeFactory backends, ILoggerFactory loggerFactory)
    {
        _proxyOptions = proxyOptions;
        _options = options;
        _routing = routing;
        _loggerFactory = loggerFactory;
        _layout = new ClusterLayout(options.Cluster);
        _time = backends.Time;
        _logger = loggerFactory.CreateLogger<ZooKeeperRingSource>();
        var recorder = new MemberRepairRecorder(() => _client, _layout, AnnouncedAddress().ToString(), loggerFactory.CreateLogger<MemberRepairRecorder>());
        _builder = new RoutingTableBuilder(proxyOptions, backends, recorder);
        _remover = new DownMemberRemover(_layout, _time, loggerFactory.CreateLogger<DownMemberRemover>());
    }

    public bool IsStatic => false;

    public string Cluster => _layout.Cluster;

    /// <summary>The ZooKeeper session's state: Connected, or why the ring may be stale.</summary>
    public string State => _client?.State.ToString() ?? "Connecting";

    public bool IsConnected => _watcher?.IsConnected ?? false;

    /// <summary>The membership snapshot the current ring was built from (0: none yet).</summary>
    public long SnapshotVersion => _watcher?.Current.Version ?? 0;

    public int IgnoredZnodes => _watcher?.Current.Rejected.Count ?? 0;

    /// <summary>Whether the ring parameters come from the cluster's <c>config</c> znode.</summary>
    public bool HasClusterConfig => _watcher?.Current.Config is not null;

    public DateTimeOffset? ConnectionChangedAt => _watcher?.ConnectionChangedAt;

    /// <summary>The last error met while connecting or watching, null when none. Never holds secrets.</summary>
    public string? LastError { get; private set; }

    /// <summary>Starts connecting in the background; the proxy serves its empty table until the first snapshot.</summary>
    public static ZooKeeperRingSource Start(ProxyOptions proxyOptions, ZooKeeperOptions options, CurrentRoutingTable routing, BackendNodeFactory backends, ILoggerFactory loggerFactory)
    {
        var source = new ZooKeeperRingSource(proxyOptions, options, routing, backends, loggerFactory);
        source._run = Task.Run(source.RunAsync);
        return source;
    }

    /// <summary>Completes when the first membership snapshot is in service.</summary>
    public Task FirstRing => _firstRing.Task;

    private async Task RunAsync()
    {
        var delay = TimeSpan.FromMilliseconds(100);
        var credential = DigestCredential.Parse(_options.Credential);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (_client is null)
                {
                    var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
                    {
                        ConnectString = _options.ConnectString,
                        SessionTimeout = _options.SessionTimeout,
                        LoggerFactory = _loggerFactory,
                    }, _stop.Token);
                    try
                    {
                        await credential.AuthenticateAsync(client, _stop.Token);
                    }
                    catch
                    {
                        await client.DisposeAsync();
                        throw;
                    }

                    _client = client;
                }
                else if (_client.State == ZooKeeperState.Expired)
                {
                    await _client.RenewSessionAsync(_stop.Token);
                }
                var watcher = await MembershipWatcher.StartAsync(_client, _layout, new MembershipWatcherOptions
                {
                    Debounce = _options.Debounce,
                    LoggerFactory = _loggerFactory,
                }, _stop.Token);
                _watcher = watcher;
                watcher.Changed += (_, snapshot) => Apply(snapshot);
                Apply(watcher.Current);
                LastError = null;
                LogWatching(_logger, _layout.Cluster, _options.ConnectString);
                _ = Task.Run(CheckRemovalsAsync);
                await AnnounceAsync();
                StartRepair();
                return;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is ZooKeeperException or IOException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException)
            {
                LastError = Describe(e);
                LogCannotWatch(_logger, _layout.Cluster, LastError, delay.TotalMilliseconds);
                if (_client is { State: ZooKeeperState.AuthFailed or ZooKeeperState.Closed })
                {
                    await _client.DisposeAsync();
                    _client = null;
                }

                await Task.Delay(delay, _time, _stop.Token).ContinueWith(static _ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>
    /// Publishes <c>proxies/&lt;host&gt;:&lt;port&gt;</c>, retrying until it exists (operators rely on
    /// the list to know which proxies apply a member change); a failure costs discovery only,
    /// never service.
    /// </summary>
    private async Task AnnounceAsync()
    {
        var address = AnnouncedAddress();
        var delay = TimeSpan.FromMilliseconds(200);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                _announcement = await ProxyAnnouncement.StartAsync(_client!, _layout, address, _loggerFactory, _stop.Token);
                return;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is ZooKeeperException or IOException or TimeoutException or OperationCanceledException)
            {
                LastError = "announcing the proxy: " + Describe(e);
                LogCannotAnnounce(_logger, address.ToString(), LastError, delay.TotalMilliseconds);
                await Task.Delay(delay, _time, _stop.Token).ContinueWith(static _ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>Every proxy takes part in warm-ups; those whose repair mode allows it also stand for repairer.</summary>
    private void StartRepair()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        var name = AnnouncedAddress().ToString();
        _participant = new WarmUpParticipant(() => _client, _layout, name, _routing, _loggerFactory.CreateLogger<WarmUpParticipant>(), _time);
        _repairer = new Repairer(() => _client, _layout, name, _routing, _proxyOptions, _loggerFactory, _time);
        _repair = Task.WhenAll(Task.Run(() => _participant.RunAsync(_stop.Token)), Task.Run(() => _repairer.RunAsync(_stop.Token)));
    }

    /// <summary>Grace periods run out between membership events too: look once a second.</summary>
    private async Task CheckRemovalsAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (_watcher is { } watcher)
                {
                    _remover.Check(watcher.Current, _client);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private NodeAddress AnnouncedAddress()
    {
        if (_options.Announce is { } announce && NodeAddress.TryParse(announce, out var address, out _))
        {
            return address;
        }

        var listen = _proxyOptions.Listen;
        var host = listen.Address.Equals(IPAddress.Any) || listen.Address.Equals(IPAddress.IPv6Any) ? Dns.GetHostName() : listen.Address.ToString();
        return new NodeAddress(host, _proxyOptions.ServicePort);
    }

    private void Apply(MembershipSnapshot snapshot)
    {
        lock (_applyLock)
        {
            _remover.Check(snapshot, _client);
            try
            {
                WarnAboutOverrides(snapshot.Config);
                if (_builder.Build(snapshot, _routing.Value) is { } change)
                {
                    // Requests that started on the old table may still wait on nodes that left:
                    // give them the command timeout twice over before their connections close.
                    _routing.Install(change.Next, change.Added, change.Removed, _proxyOptions.SettleTime);
                    LogRingInService(_logger, change.Next.Version, snapshot.Version, snapshot.ReadNodes.Count, snapshot.Nodes.Count - snapshot.ReadNodes.Count);
                }
            }
            catch (ArgumentException e)
            {
                // The watcher only passes valid znodes, but the set as a whole can still be
                // refused (weights adding up too high): keep serving the ring in service.
                LastError = "ring not built: " + e.Message;
                LogRingRefused(_logger, snapshot.Version, e.Message);
            }
        }

        _firstRing.TrySetResult();
    }

    // Once per distinct cluster config: snapshots arrive on every membership change.
    private void WarnAboutOverrides(RingConfig? config)
    {
        if (config is null || config == _warnedConfig)
        {
            return;
        }

        _warnedConfig = config;
        foreach (var line in ClusterConfigOverrides.Find(_proxyOptions, config))
        {
            LogSettingOverridden(_logger, _layout.Cluster, line);
        }
    }

    private static string Describe(Exception e) => e switch
    {
        AuthFailedException => "ZooKeeper refused the proxy credential",
        NoAuthException => "the proxy credential may not read the cluster (check --zk-auth)",
        NoNodeException => "the cluster does not exist in ZooKeeper (create it first)",
        _ => e.GetType().Name + ": " + e.Message,
    };

    /// <summary>Where the ring comes from and whether the proxy is in touch with ZooKeeper.</summary>
    public void WriteInfo(Action<string, object> line)
    {
        line("ring_source", "zookeeper");
        line("zookeeper_cluster", Cluster);
        line("zookeeper_state", State.ToLowerInvariant());
        line("zookeeper_connected", IsConnected ? 1 : 0);
        line("zookeeper_state_changed_at", ConnectionChangedAt?.ToUnixTimeMilliseconds() ?? 0);
        line("membership_version", SnapshotVersion);
        line("membership_ignored_znodes", IgnoredZnodes);
        line("ring_config", HasClusterConfig ? "cluster" : "local");
        var snapshot = _watcher?.Current;
        line("ring_waiting_for", snapshot is null ? "" : string.Join(" ", snapshot.AwaitingFirstRegistration.Select(n => n.Address.ToString())));
        line("members_live", snapshot is null ? 0 : snapshot.Nodes.Count(snapshot.IsLive));
        line("members_not_live", string.Join(" ", _remover.NotLiveFor().OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={(long)p.Value.TotalSeconds}s")));
        line("down_grace_seconds", snapshot?.Config?.DownGraceSeconds ?? RingConfig.DefaultDownGraceSeconds);
        line("zookeeper_last_error", LastError ?? "");
        line("repair_role", _repairer?.Role ?? "starting");
        if (_repairer is { Role: "leader" } repairer)
        {
            line("repair_anti_entropy", repairer.AntiEntropy.ToInfo());
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var job in _participant?.Jobs ?? [])
        {
            var left = Math.Max(job.Estimated - job.Copied, 0);
            var eta = job.Phase == RepairPhase.Copying && job.KeysPerSecond > 0 ? (long)(left / job.KeysPerSecond) : 0;
            line("repair_job:" + job.Node, $"phase={RepairJob.ToJson(job.Phase)},generation={job.Generation},copied={job.Copied},estimated={job.Estimated},bytes={job.Bytes},keys_per_sec={job.KeysPerSecond:F0},eta_s={eta},age_s={(now - job.StartedMs) / 1000},repairer={job.Repairer},note={job.Note.Replace(',', ';')}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        await _repair;
        if (_announcement is not null)
        {
            await _announcement.DisposeAsync();
        }

        if (_watcher is not null)
        {
            await _watcher.DisposeAsync();
        }

        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        _stop.Dispose();
    }
}
