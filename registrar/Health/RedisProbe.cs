using System.Globalization;
using System.Net.Sockets;
using RedisRing.Membership;

namespace RedisRing.Registrar.Health;

/// <summary>
/// Checks one redis-server: PING, INFO (loading, role, run_id) and DBSIZE, pipelined on one
/// connection kept between checks. Healthy = PONG, not loading, role master.
/// </summary>
internal sealed class RedisProbe(NodeAddress redis, string? password, TimeSpan timeout) : IAsyncDisposable
{
    private RespLineConnection? _connection;

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var report = await CheckOnceAsync(deadline.Token);
            if (!report.Healthy)
            {
                await DropConnectionAsync();
            }

            return report;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            await DropConnectionAsync();
            return HealthReport.Failed("connection refused", refused: true);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await DropConnectionAsync();
            return HealthReport.Failed(e is OperationCanceledException ? $"no answer within {timeout.TotalMilliseconds:0} ms" : e.Message);
        }
    }

    private async Task<HealthReport> CheckOnceAsync(CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            var connection = await RespLineConnection.ConnectAsync(redis.Host, redis.Port, cancellationToken);
            if (password is not null)
            {
                await connection.SendAsync([["AUTH", password]], cancellationToken);
                var auth = await connection.ReadReplyAsync(cancellationToken);
                if (auth != "+OK")
                {
                    await connection.DisposeAsync();
                    return HealthReport.Failed("AUTH refused");
                }
            }

            _connection = connection;
        }

        await _connection.SendAsync([["PING"], ["INFO"], ["DBSIZE"]], cancellationToken);
        var pong = await _connection.ReadReplyAsync(cancellationToken);
        var info = await _connection.ReadReplyAsync(cancellationToken);
        var dbSize = await _connection.ReadReplyAsync(cancellationToken);
        if (pong != "+PONG")
        {
            return HealthReport.Failed("PING answered " + pong);
        }

        if (info is null || info.StartsWith('-'))
        {
            return HealthReport.Failed("INFO answered " + info);
        }

        var fields = InfoFields.Parse(info);
        if (fields.Loading)
        {
            return HealthReport.Failed("loading its data set");
        }

        if (fields.Role != "master")
        {
            return HealthReport.Failed($"role is {fields.Role}, not master");
        }

        if (fields.RunId.Length == 0)
        {
            return HealthReport.Failed("INFO has no run_id");
        }

        var keys = dbSize is [':', ..] && long.TryParse(dbSize.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
        return new HealthReport(true, false, fields.RunId, keys, "ok");
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public ValueTask DisposeAsync() => new(DropConnectionAsync());
}
