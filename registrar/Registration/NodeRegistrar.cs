using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.Registrar.Configuration;
using RedisRing.Registrar.Health;
using RedisRing.ZooKeeper;

namespace RedisRing.Registrar.Registration;

/// <summary>
/// The registrar's loop: checks Redis every interval; while it is healthy keeps the node znode
/// (always entering as joining, except the one bootstrap registration of a brand-new cluster);
/// deletes it once Redis has failed for <see cref="RegistrarOptions.UnhealthyAfter"/> (at once
/// when the connection is refused) or when its run_id changed (a restart: it may have lost writes).
/// </summary>
/// <param name="nodeAcl">The ACL node znodes get: that of <c>nodes/</c>, set by the creation step.</param>
internal sealed partial class NodeRegistrar(RegistrarOptions options, ZooKeeperClient zooKeeper, IReadOnlyList<Acl> nodeAcl, RedisProbe probe,
    ILoggerFactory loggerFactory, TimeProvider time)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<NodeRegistrar>();
    private HeldRegistration? _held;
    private long? _failingSince;

    /// <summary>Runs until <paramref name="stop"/> is cancelled, then leaves: <c>leaving</c>, then deleted.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            HealthReport report;
            try
            {
                report = await probe.CheckAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }

            await ApplyAsync(report);
            var wait = options.CheckInterval - time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, time, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await LeaveAsync();
    }

    private async Task ApplyAsync(HealthReport report)
    {
        if (report.Healthy)
        {
            if (_failingSince is not null)
            {
                LogHealthy(options.Redis.ToString());
                _failingSince = null;
            }

            if (_held is not null && _held.RunId != report.RunId)
            {
                LogRestarted(options.Redis.ToString());
                await DropAsync();
            }

            if (_held is null)
            {
                var record = new NodeRecord(options.Advertise, options.Weight, NodeState.Joining, report.RunId);
                _held = HeldRegistration.Start(zooKeeper, options.Layout, nodeAcl, record, report.Keys == 0, loggerFactory);
            }

            return;
        }

        if (_failingSince is null)
        {
            _failingSince = time.GetTimestamp();
            LogUnhealthy(options.Redis.ToString(), report.Reason);
        }

        if (_held is not null && (report.Refused || time.GetElapsedTime(_failingSince.Value) >= options.UnhealthyAfter))
        {
            LogDropping(options.Redis.ToString(), report.Reason);
            await DropAsync();
        }
    }

    private async Task DropAsync()
    {
        var held = _held;
        _held = null;
        if (held is not null)
        {
            await held.DisposeAsync();
        }
    }

    private async Task LeaveAsync()
    {
        if (_held is { } held)
        {
            LogLeaving(options.Advertise.ToString());
            await held.MarkLeavingAsync();
            await Task.Delay(options.LeaveDelay, time);
            await DropAsync();
        }
    }
}
