using Microsoft.Extensions.Logging;
using RedisRing.Registrar.Configuration;
using RedisRing.Registrar.Health;
using RedisRing.ZooKeeper;

namespace RedisRing.Registrar.Registration;

/// <summary>
/// The registrar's loop: checks Redis every interval; while it is healthy keeps the member record
/// fitting Redis's run_id and the liveness znode (<see cref="HeldRegistration"/>); deletes the
/// liveness znode, never the member, once Redis has failed for
/// <see cref="RegistrarOptions.UnhealthyAfter"/> (at once when the connection is refused); a new
/// run_id (Redis restarted: it may have lost writes) starts a new registration, which makes the
/// member <c>joining</c>.
/// </summary>
internal sealed partial class NodeRegistrar(RegistrarOptions options, ZooKeeperClient zooKeeper, RegistrationAcls acls, RedisProbe probe,
    ILoggerFactory loggerFactory, TimeProvider time)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<NodeRegistrar>();
    private HeldRegistration? _held;
    private bool _withdrawPending;
    private long? _failingSince;

    /// <summary>The last check's outcome and counts, for the admin port (registrar/Admin).</summary>
    public Admin.RegistrarStatus Status { get; } = new();

    /// <summary>Runs until <paramref name="stop"/> is cancelled, then stops being live (with <c>--leave</c>: leaves the ring).</summary>
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
            Status.Record(report, _held is not null, time.GetElapsedTime(started), time.GetUtcNow());
            if (_held is { HasLeft: true })
            {
                // Drained by an operator and removed: nothing left to register; exit cleanly.
                break;
            }

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
        if (_held is null && _withdrawPending)
        {
            await WithdrawStaleLivenessAsync();
        }

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
                // The new registration takes over (and rewrites) a liveness znode still ours.
                _withdrawPending = false;
            }

            _held ??= HeldRegistration.Start(zooKeeper, options.Layout, acls, options.Advertise, options.Weight, report.RunId, report.Keys, loggerFactory, time);

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

            // Deleting it needs ZooKeeper; while it cannot be reached the znode stays with our
            // session, which may well survive the outage: delete it at the next checks.
            _withdrawPending = true;
        }
    }

    /// <summary>Deletes the liveness znode if our session still owns it; done once it is gone or not ours.</summary>
    private async Task WithdrawStaleLivenessAsync()
    {
        if (zooKeeper.State != ZooKeeperState.Connected)
        {
            return;
        }

        try
        {
            var path = options.Layout.Liveness(options.Advertise);
            var stat = await zooKeeper.ExistsAsync(path);
            if (stat is not null && stat.EphemeralOwner == zooKeeper.SessionId)
            {
                await zooKeeper.DeleteAsync(path, stat.Version);
                LogStaleLivenessDeleted(path);
            }

            _withdrawPending = false;
        }
        catch (ZooKeeperException)
        {
            // Lost again, or changed under us: the next check tries again.
        }
    }

    private async Task LeaveAsync()
    {
        if (options.Leave && _held is { } held)
        {
            LogLeaving(options.Advertise.ToString());
            await held.LeaveAsync(options.LeaveDelay);
        }
        else if (options.Drain && _held is { } draining)
        {
            LogLeaving(options.Advertise.ToString());
            await draining.DrainAsync(options.DrainTimeout);
        }

        await DropAsync();
    }
}
