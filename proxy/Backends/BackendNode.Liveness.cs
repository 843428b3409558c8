using System.Buffers;
using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Transport;

namespace RedisRing.Proxy.Backends;

/// <summary>
/// Per-command timeouts and the liveness check, kept apart (docs/consistency.md, "Slow is not
/// dead"). A command that takes long fails alone when it passes the command timeout, and the
/// connection stays. A node is declared down only when it has sent nothing on its connection
/// while owing replies, and has not answered a PING on a separate probe connection either, for
/// the liveness timeout (longer while its oldest command is a script or another command that may
/// hold Redis: Redis answers other connections with BUSY only after its busy-reply-threshold).
/// Meanwhile a node silent for half the liveness timeout is stalled: new reads prefer its other
/// copies, the reads already sent to it wait for their replies.
/// </summary>
internal sealed partial class BackendNode
{
    private static readonly byte[] s_ping = "*1\r\n$4\r\nPING\r\n"u8.ToArray();

    private volatile bool _stalled;
    private int _probing;
    private long _lastProbeAnswer;
    // When the current probe's PING was sent (0: none outstanding), and whether the probe could
    // not even connect.
    private long _probeSentAt;
    private volatile bool _probeRefused;
    private long _commandTimeouts;

    /// <summary>Silent while owing replies for half the liveness timeout: reads prefer other copies.</summary>
    public bool IsStalled => _stalled;

    /// <summary>Commands that passed the per-command timeout on this node.</summary>
    public long CommandTimeouts => Interlocked.Read(ref _commandTimeouts);

    /// <summary>Called by the connection when bytes arrive while stalled.</summary>
    internal void OnDataArrived()
    {
        if (_stalled)
        {
            _stalled = false;
            LogStallEnded(_logger, Name);
        }
    }

    /// <summary>
    /// One pass of the proxy's timer over this node: fails commands past the command timeout,
    /// marks the node stalled, probes it, and closes its connection when the liveness check failed.
    /// </summary>
    public void CheckHealth(long now)
    {
        var connection = _connection;
        if (connection is null)
        {
            return;
        }

        // Liveness first: when the node is dead, what waits on it fails over to other copies
        // rather than timing out.
        CheckLiveness(connection, now);
        if (connection.IsClosed)
        {
            return;
        }

        if (connection.ExpireOverdue(now, _commandTimeoutTicks) is { } expired)
        {
            Interlocked.Add(ref _commandTimeouts, expired.Count);
            LogCommandTimeout(_logger, Name, expired.Count, _options.CommandTimeout.TotalMilliseconds);
            foreach (var call in expired)
            {
                call.Target.OnTimeout(call.Tag, this);
            }
        }
    }

    private void CheckLiveness(BackendConnection connection, long now)
    {
        var silence = connection.Silence(now, out var oldestMayRunLong);
        if (silence <= _livenessTicks / 2)
        {
            if (_stalled && silence == 0)
            {
                // Nothing owed any more: the replies came (the read loop clears it on arrival too).
                _stalled = false;
            }

            return;
        }

        if (!_stalled)
        {
            // A new episode: what an earlier probe found is no evidence now.
            Volatile.Write(ref _probeSentAt, 0);
            _probeRefused = false;
            _stalled = true;
            LogStalled(_logger, Name, _time.GetElapsedTime(now - silence, now).TotalMilliseconds);
        }

        StartProbe(connection);
        var allowance = oldestMayRunLong ? _longLivenessTicks : _livenessTicks;
        var sinceAlive = Math.Min(silence, now - Volatile.Read(ref _lastProbeAnswer));
        // The verdict needs the probe's word too: a PING outstanding for half the liveness
        // timeout, or a refused probe connection. A late timer (a busy machine) that sees the
        // silence and starts the probe in the same pass must not convict on silence alone.
        var sentAt = Volatile.Read(ref _probeSentAt);
        var probeFailed = _probeRefused || (sentAt != 0 && now - sentAt > _livenessTicks / 2);
        if (sinceAlive > allowance && probeFailed)
        {
            var ms = allowance * 1000.0 / _time.TimestampFrequency;
            LogNotAlive(_logger, Name, ms, silence * 1000.0 / _time.TimestampFrequency, _probeRefused ? -1 : (now - sentAt) * 1000.0 / _time.TimestampFrequency);
            connection.Close($"no reply and no answer to PING for {ms:0} ms");
        }
    }

    private void StartProbe(BackendConnection connection)
    {
        if (Interlocked.CompareExchange(ref _probing, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await ProbeWhileStalledAsync(connection);
            }
            finally
            {
                Volatile.Write(ref _probing, 0);
            }
        });
    }

    /// <summary>
    /// PINGs the node on a connection of its own while its data connection is stalled. Any reply
    /// counts (PONG, BUSY during a long script, LOADING, NOAUTH): the process is alive. A server
    /// that is stopped or hung answers nothing, and the liveness check closes the data connection.
    /// </summary>
    private async Task ProbeWhileStalledAsync(BackendConnection data)
    {
        IConnection? probe = null;
        try
        {
            _probeRefused = false;
            Volatile.Write(ref _probeSentAt, _time.GetTimestamp());
            try
            {
                probe = await _connector.ConnectAsync(Endpoint, Name + " (liveness probe)", _options.ConnectTimeout, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or TimeoutException)
            {
                // Nothing listens (or the host is gone): that is an answer too.
                _probeRefused = true;
                return;
            }

            while (_stalled && !_retired && _connection == data)
            {
                Volatile.Write(ref _probeSentAt, _time.GetTimestamp());
                await probe.Output.WriteAsync(s_ping);
                using var deadline = new CancellationTokenSource(_options.LivenessTimeout, _time);
                if (!await ReadOneLineAsync(probe, deadline.Token))
                {
                    return;
                }

                Volatile.Write(ref _lastProbeAnswer, _time.GetTimestamp());
                Volatile.Write(ref _probeSentAt, 0);
                await Task.Delay(_options.LivenessTimeout / 4, _time);
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            // No answer: the liveness check decides with what it has (the PING stays outstanding).
        }
        finally
        {
            probe?.Dispose();
        }
    }

    private static async Task<bool> ReadOneLineAsync(IConnection probe, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await probe.Input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } end)
            {
                probe.Input.AdvanceTo(buffer.GetPosition(1, end));
                return true;
            }

            probe.Input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return false;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node}: {Count} command(s) got no reply within {TimeoutMs} ms (commandTimeoutMs); they failed, the connection stays")]
    private static partial void LogCommandTimeout(ILogger logger, string node, int count, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node}: nothing received for {SilenceMs:0} ms while owing replies; new reads prefer other copies, probing with PING")]
    private static partial void LogStalled(ILogger logger, string node, double silenceMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node}: replies flow again")]
    private static partial void LogStallEnded(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node}: no reply and no answer to PING for {Ms:0} ms (silent for {SilenceMs:0} ms, PING unanswered for {PingMs:0} ms; -1: probe connection refused); marking it down")]
    private static partial void LogNotAlive(ILogger logger, string node, double ms, double silenceMs, double pingMs);
}
