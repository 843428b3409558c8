using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.ZooKeeper;
using RedisRing.ZooKeeper.Recipes;

namespace RedisRing.Registrar.Registration;

/// <summary>
/// One registration of the node for one Redis run_id, from a healthy check until it is dropped.
/// In the background it keeps the member record fitting this run_id (<see cref="MemberStep"/>:
/// nothing to write when the run_id is the member's, so the node keeps its state across
/// sessions, pauses and registrar restarts) and holds the ephemeral liveness znode. It watches
/// the member and checks it again every few seconds, so a member removed while the node is
/// live is created again (as <c>joining</c>). Health checks never wait for any of this.
/// </summary>
internal sealed partial class HeldRegistration : IAsyncDisposable
{
    // A safety net beside the member watch, which a session expiry clears.
    private static readonly TimeSpan s_memberRecheck = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(200);

    private readonly ZooKeeperClient _client;
    private readonly ClusterLayout _layout;
    private readonly RegistrationAcls _acls;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _cancel = new();
    private readonly long _keysAtStart;
    private readonly int _weight;
    private readonly Task _running;
    private TaskCompletionSource _memberChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private EphemeralRegistration? _liveness;

    private HeldRegistration(ZooKeeperClient client, ClusterLayout layout, RegistrationAcls acls, NodeAddress address, int weight, string runId, long keys,
        ILoggerFactory loggerFactory, TimeProvider time)
    {
        _client = client;
        _layout = layout;
        _acls = acls;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<HeldRegistration>();
        _time = time;
        Address = address;
        _weight = weight;
        RunId = runId;
        _keysAtStart = keys;
        _running = Task.Run(RunAsync);
    }

    public NodeAddress Address { get; }

    /// <summary>The Redis run_id this registration stands for.</summary>
    public string RunId { get; }

    /// <summary>The member record as last read or written; null before the first member step.</summary>
    public NodeRecord? Member { get; private set; }

    /// <summary>
    /// The member was <c>leaving</c> because an operator drained it (<see cref="MemberStep.DrainedByOperator"/>) and has been
    /// deleted: the node is out of the ring and is not registered again.
    /// </summary>
    public bool HasLeft { get; private set; }

    public static HeldRegistration Start(ZooKeeperClient client, ClusterLayout layout, RegistrationAcls acls, NodeAddress address, int weight, string runId, long keys,
        ILoggerFactory loggerFactory, TimeProvider time) =>
        new(client, layout, acls, address, weight, runId, keys, loggerFactory, time);

    private async Task RunAsync()
    {
        var cancel = _cancel.Token;
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                var changed = Volatile.Read(ref _memberChanged);
                await EnsureMemberAsync(cancel);
                if (HasLeft)
                {
                    return;
                }

                if (_liveness is null)
                {
                    var liveness = new LivenessRecord(Address, RunId);
                    _liveness = await EphemeralRegistration.StartAsync(_client, _layout.Liveness(Address), liveness.ToJson(), _acls.Liveness, _loggerFactory, cancel);
                    LogLive(_liveness.Path, RunId);
                }

                await Task.WhenAny(changed.Task, Task.Delay(s_memberRecheck, _time, cancel));
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return;
            }
            catch (ZooKeeperException e)
            {
                LogRegisterFailed(_layout.Node(Address), e.Code.ToString());
                await RenewExpiredSessionAsync(cancel);
                await DelayQuietly(s_retryDelay, cancel);
            }
        }
    }

    /// <summary>
    /// The liveness recipe renews an expired session, but only once it runs: a session that
    /// expires while the member step is still failing (a Redis restarted during a ZooKeeper
    /// pause drops the old registration, liveness included) would otherwise stay expired, and
    /// every retry would fail with SessionExpired for good.
    /// </summary>
    private async Task RenewExpiredSessionAsync(CancellationToken cancel)
    {
        if (_client.State != ZooKeeperState.Expired)
        {
            return;
        }

        try
        {
            await _client.RenewSessionAsync(cancel);
        }
        catch (Exception e) when (e is ZooKeeperException or OperationCanceledException)
        {
            // Still unreachable (the next retry asks again), or stopping: the loop ends.
        }
    }

    /// <summary>Reads the member (leaving a watch on it) and writes what <see cref="MemberStep"/> says, conditional on the version read.</summary>
    private async Task EnsureMemberAsync(CancellationToken cancel)
    {
        var path = _layout.Node(Address);
        while (true)
        {
            NodeRecord? current = null;
            var version = -1;
            var exists = false;
            try
            {
                var read = await _client.GetDataAsync(path, OnMemberEvent, cancel);
                exists = true;
                version = read.Stat.Version;
                if (!NodeRecord.TryParse(Address.ToString(), read.Data, out current, out var error))
                {
                    LogBadMember(path, error);
                    current = null;
                }
            }
            catch (NoNodeException)
            {
                await _client.ExistsAsync(path, OnMemberEvent, cancel);
            }

            if (!exists && Member is { State: NodeState.Leaving, Reason: MemberStep.DrainedByOperator } left && left.RunId == RunId)
            {
                // Drained by an operator and removed (the repairer deletes a leaving member once
                // its keys are on their future owners): creating it again would bring it back. A
                // member drained because it was down too long may join again.
                HasLeft = true;
                LogLeft(path);
                return;
            }

            var next = MemberStep.Decide(current, Address, _weight, RunId, _keysAtStart);
            if (next is null)
            {
                Member = current;
                return;
            }

            try
            {
                if (exists)
                {
                    await _client.SetDataAsync(path, next.ToJson(), version, cancel);
                }
                else
                {
                    await _client.CreateAsync(path, next.ToJson(), CreateMode.Persistent, _acls.Member, cancellationToken: cancel);
                }

                Member = next;
                LogMemberWritten(path, next.State.ToJson(), next.Reason);
                return;
            }
            catch (Exception e) when (e is BadVersionException or NodeExistsException or NoNodeException)
            {
                // Changed under us (a proxy, an operator, our own earlier session): read again.
            }
        }
    }

    private void OnMemberEvent(WatchedEvent e)
    {
        var changed = Interlocked.Exchange(ref _memberChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        changed.TrySetResult();
    }

    /// <summary>
    /// Takes the node out of the ring for good: the member goes <c>leaving</c> (writes still
    /// reach it, reads go elsewhere), and after <paramref name="delay"/> it is deleted. Stops
    /// keeping the member first, so it is not created again.
    /// </summary>
    public async Task LeaveAsync(TimeSpan delay)
    {
        await _cancel.CancelAsync();
        await _running;
        var path = _layout.Node(Address);
        try
        {
            var read = await _client.GetDataAsync(path);
            if (NodeRecord.TryParse(Address.ToString(), read.Data, out var current, out _) && current.RunId == RunId)
            {
                var stat = await _client.SetDataAsync(path, current.With(NodeState.Leaving, RunId, "leaving on the registrar's request").ToJson(), read.Stat.Version);
                LogMemberWritten(path, "leaving", "SIGTERM with --leave");
                await Task.Delay(delay, _time);
                await _client.DeleteAsync(path, stat.Version);
                LogRemoved(path);
            }
        }
        catch (ZooKeeperException e)
        {
            LogRegisterFailed(path, e.Code.ToString());
        }
    }

    /// <summary>
    /// Drains the node before it leaves: the member goes <c>leaving</c> (reads still reach it, its
    /// keys' future owners get every write), the proxies' repairer copies its keys to them and
    /// deletes the member; this waits for that, at most <paramref name="timeout"/>. Liveness is
    /// kept meanwhile. Stops keeping the member first, so it is not created again.
    /// </summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        await _cancel.CancelAsync();
        await _running;
        var path = _layout.Node(Address);
        try
        {
            var read = await _client.GetDataAsync(path);
            if (!NodeRecord.TryParse(Address.ToString(), read.Data, out var current, out _) || current.RunId != RunId)
            {
                return;
            }

            if (current.State != NodeState.Leaving)
            {
                await _client.SetDataAsync(path, current.With(NodeState.Leaving, RunId, "draining on the registrar's request").ToJson(), read.Stat.Version);
                LogMemberWritten(path, "leaving", "SIGTERM with --on-stop drain");
            }

            var waited = Stopwatch.StartNew();
            while (await _client.ExistsAsync(path) is not null)
            {
                if (waited.Elapsed > timeout)
                {
                    LogDrainTimedOut(path, timeout.TotalSeconds);
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), _time);
            }

            LogRemoved(path);
        }
        catch (ZooKeeperException e)
        {
            LogRegisterFailed(path, e.Code.ToString());
        }
    }

    /// <summary>Stops registering and deletes the liveness znode if this session holds it; the member stays.</summary>
    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        await _running;
        if (_liveness is not null)
        {
            await _liveness.DisposeAsync();
            LogNotLive(_liveness.Path);
        }

        _cancel.Dispose();
    }

    private static async Task DelayQuietly(TimeSpan delay, CancellationToken cancel)
    {
        try
        {
            await Task.Delay(delay, cancel);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
