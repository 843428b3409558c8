using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.ZooKeeper;
using RedisRing.ZooKeeper.Recipes;

namespace RedisRing.Registrar.Registration;

/// <summary>
/// One registration of the node, from a healthy check until it is dropped. Registering runs in
/// the background (it may wait out our previous session's znode), so health checks never stop.
/// The znode's data for every (re-)creation is <c>joining</c>: only the bootstrap transaction
/// creates it <c>up</c>, once.
/// </summary>
internal sealed partial class HeldRegistration : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly ILogger _logger;
    private readonly Task<EphemeralRegistration?> _registering;

    private HeldRegistration(ZooKeeperClient client, ClusterLayout layout, IReadOnlyList<Acl> acl, NodeRecord joining, bool tryBootstrap, ILoggerFactory loggerFactory)
    {
        Record = joining;
        _logger = loggerFactory.CreateLogger<HeldRegistration>();
        _registering = RegisterAsync(client, layout, acl, tryBootstrap, loggerFactory);
    }

    public NodeRecord Record { get; private set; }

    public string RunId => Record.RunId;

    public static HeldRegistration Start(ZooKeeperClient client, ClusterLayout layout, IReadOnlyList<Acl> acl, NodeRecord joining, bool tryBootstrap, ILoggerFactory loggerFactory) =>
        new(client, layout, acl, joining, tryBootstrap, loggerFactory);

    private async Task<EphemeralRegistration?> RegisterAsync(ZooKeeperClient client, ClusterLayout layout, IReadOnlyList<Acl> acl, bool tryBootstrap, ILoggerFactory loggerFactory)
    {
        await Task.Yield();
        var path = layout.Node(Record.Address);
        while (!_cancel.IsCancellationRequested)
        {
            try
            {
                if (tryBootstrap)
                {
                    tryBootstrap = false;
                    await TryBootstrapAsync(client, layout, acl, path);
                }

                var registration = await EphemeralRegistration.StartAsync(client, path, Record.ToJson(), acl, loggerFactory, _cancel.Token);
                LogRegistered(path);
                return registration;
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
                return null;
            }
            catch (ZooKeeperException e)
            {
                LogRegisterFailed(path, e.Code.ToString());
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), _cancel.Token);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The brand-new-cluster exception: when the creation step left a marker for this node and its
    /// Redis is empty, the node is created <c>up</c> and the marker deleted in one transaction, so
    /// this can happen once per initial node and never again.
    /// </summary>
    private async Task TryBootstrapAsync(ZooKeeperClient client, ClusterLayout layout, IReadOnlyList<Acl> acl, string path)
    {
        try
        {
            await client.MultiAsync(
            [
                Op.Delete(layout.BootstrapMarker(Record.Address)),
                Op.Create(path, Record.With(NodeState.Up).ToJson(), CreateMode.Ephemeral, acl),
            ], _cancel.Token);
            LogBootstrapped(path);
        }
        catch (MultiOperationException e) when (e.Code is ErrorCode.NoNode or ErrorCode.NodeExists)
        {
            // No marker (not an initial node, or already used), or a znode still held: join normally.
        }
    }

    /// <summary>Sets the znode's state to <c>leaving</c> (if registered) ahead of deleting it.</summary>
    public async Task MarkLeavingAsync()
    {
        if (_registering.IsCompletedSuccessfully && _registering.Result is { IsRegistered: true } registration)
        {
            try
            {
                Record = Record.With(NodeState.Leaving);
                await registration.UpdateDataAsync(Record.ToJson());
            }
            catch (ZooKeeperException e)
            {
                LogRegisterFailed(registration.Path, e.Code.ToString());
            }
        }
    }

    /// <summary>Stops registering and deletes the znode if this session holds it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        var registration = await _registering;
        if (registration is not null)
        {
            await registration.DisposeAsync();
            LogRemoved(registration.Path);
        }

        _cancel.Dispose();
    }
}
