using System.Net;
using System.Text;
using RedisRing.ZooKeeper.Protocol;
using RedisRing.ZooKeeper.Session;

namespace RedisRing.ZooKeeper;

public sealed partial class ZooKeeperClient
{
    // SetWatches packets are split so that none comes near the packet limit (as the Java client does).
    private const int SetWatchesBatchBytes = 128 * 1024;

    private void StartSession() => _sessionLoop = Task.Run(RunSessionAsync);

    /// <summary>
    /// Connects and reconnects for one session: tries the servers in a shuffled round and keeps
    /// the session across connections until the session is over. Expiry is the server's word
    /// (as with the Java client): however long no server answers, the client keeps offering its
    /// session id and password, because a paused ensemble (GC, leader election, SIGSTOP) comes
    /// back with its sessions, and only the server knows whether one outlived the silence.
    /// </summary>
    private async Task RunSessionAsync()
    {
        var servers = _connectString.Servers.ToArray();
        _options.Random.Shuffle(servers);
        var next = 0;
        var failedRounds = 0;
        var anyConnected = false;
        var closing = _closing.Token;
        while (!closing.IsCancellationRequested)
        {
            var server = servers[next];
            next = (next + 1) % servers.Length;
            var outcome = await TryConnectionAsync(server, servers.Length, closing);
            if (outcome == ConnectionOutcome.SessionOver || closing.IsCancellationRequested || _closeRequested)
            {
                return; // expired, auth failed or closed
            }

            anyConnected |= outcome == ConnectionOutcome.Lost;
            if (next == 0)
            {
                // A whole round is over. When nobody answered, what the application queued
                // meanwhile fails (it would otherwise wait for as long as the outage lasts), and
                // each further failed round waits a little longer, up to a second, so that a long
                // outage is not a busy loop.
                failedRounds = anyConnected ? 0 : failedRounds + 1;
                if (!anyConnected)
                {
                    FailWaitingRequests();
                }

                anyConnected = false;
                await DelayQuietly(RoundPause(Math.Max(failedRounds, 1)), closing);
            }
        }
    }

    /// <summary>20–200 ms after the first failed round, doubling up to 0.5–1 s (random, so that many clients do not retry in step).</summary>
    private TimeSpan RoundPause(int failedRounds)
    {
        var ceiling = Math.Min(1000, 200 << Math.Min(failedRounds - 1, 3));
        return TimeSpan.FromMilliseconds(_options.Random.Next(ceiling / 10, ceiling));
    }

    /// <summary>Fails, with <see cref="ConnectionLossException"/>, requests queued while no connection could be made.</summary>
    private void FailWaitingRequests()
    {
        lock (_stateLock)
        {
            if (_state is not (ZooKeeperState.Connecting or ZooKeeperState.Disconnected))
            {
                return;
            }

            while (_requests.Reader.TryRead(out var request))
            {
                request.Fail(new ConnectionLossException());
            }
        }
    }

    private enum ConnectionOutcome
    {
        /// <summary>The session is over: expired, auth failed or closed.</summary>
        SessionOver,

        /// <summary>No connection could be made (refused, timed out, handshake failed).</summary>
        Failed,

        /// <summary>A connection was made and later lost.</summary>
        Lost,
    }

    /// <summary>One connection's life, from connect to loss.</summary>
    private async Task<ConnectionOutcome> TryConnectionAsync(DnsEndPoint server, int serverCount, CancellationToken closing)
    {
        Connection? connection = null;
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(closing);
            attempt.CancelAfter(ConnectTimeout(serverCount));
            connection = await Connection.OpenAsync(server, _options.MaxPacketLength, _time, _logger, attempt.Token);
            var request = new ConnectRequest(LastZxid, (int)_options.SessionTimeout.TotalMilliseconds, SessionId, _password);
            var response = await connection.HandshakeAsync(request, attempt.Token);
            if (response.TimeoutMs <= 0)
            {
                LogExpiredByServer(SessionId, Describe(server));
                EndSession(ZooKeeperState.Expired, new SessionExpiredException());
                return ConnectionOutcome.SessionOver;
            }

            var first = FirstPackets();
            lock (_stateLock)
            {
                if (_state is not (ZooKeeperState.Connecting or ZooKeeperState.Disconnected))
                {
                    return ConnectionOutcome.SessionOver;
                }

                Interlocked.Exchange(ref _sessionId, response.SessionId);
                _password = response.Password;
                _negotiatedTimeoutMs = response.TimeoutMs;
                _connection = connection;
                SetStateLocked(ZooKeeperState.Connected);
                _connected.TrySetResult();
            }

            LogConnected(Describe(server), response.SessionId, response.TimeoutMs);
            var run = connection.RunAsync(_requests.Reader, first, SessionTimeout, this);
            var ended = await run;
            lock (_stateLock)
            {
                _connection = null;
                if (ended is AuthFailedException)
                {
                    LogAuthFailed(SessionId);
                    EndSessionLocked(ZooKeeperState.AuthFailed, new AuthFailedException());
                    return ConnectionOutcome.SessionOver;
                }

                if (_state == ZooKeeperState.Connected && !_closeRequested)
                {
                    _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    SetStateLocked(ZooKeeperState.Disconnected);
                }
            }

            if (!closing.IsCancellationRequested && !_closeRequested)
            {
                LogDisconnected(Describe(server), ended.Message);
            }

            return ConnectionOutcome.Lost;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or JuteFormatException)
        {
            if (!closing.IsCancellationRequested)
            {
                LogConnectFailed(Describe(server), e.Message);
            }

            return ConnectionOutcome.Failed;
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Java's rule: the session timeout shared by the servers of one round, at least 200 ms. It is
    /// not shortened as the session's time runs out: only the server decides expiry.
    /// </summary>
    private TimeSpan ConnectTimeout(int serverCount)
    {
        var timeout = SessionTimeout / serverCount;
        return timeout < TimeSpan.FromMilliseconds(200) ? TimeSpan.FromMilliseconds(200) : timeout;
    }

    /// <summary>Auth, then the watches to restore, before anything queued by the application.</summary>
    private List<PendingRequest> FirstPackets()
    {
        var packets = new List<PendingRequest>();
        lock (_authInfo)
        {
            foreach (var (scheme, auth) in _authInfo)
            {
                packets.Add(new PendingRequest<ErrorCode>(OpCode.Auth, AuthBody(scheme, auth), static (error, ref _) => error, CancellationToken.None, Xids.Auth));
            }
        }

        var watches = _watches.Snapshot();
        if (!watches.IsEmpty && SessionId != 0)
        {
            packets.AddRange(SetWatchesPackets(watches, LastZxid));
        }

        return packets;
    }

    private static IEnumerable<PendingRequest> SetWatchesPackets(Watches.WatchSnapshot watches, long relativeZxid)
    {
        var lists = new[] { watches.Data, watches.Exist, watches.Child, watches.Persistent, watches.PersistentRecursive };
        var batch = lists.Select(_ => new List<string>()).ToArray();
        var size = 0;
        for (var kind = 0; kind < lists.Length; kind++)
        {
            foreach (var path in lists[kind])
            {
                if (size > SetWatchesBatchBytes)
                {
                    yield return SetWatchesPacket(batch, relativeZxid);
                    batch = lists.Select(_ => new List<string>()).ToArray();
                    size = 0;
                }

                batch[kind].Add(path);
                size += Encoding.UTF8.GetByteCount(path) + 4;
            }
        }

        yield return SetWatchesPacket(batch, relativeZxid);
    }

    private static PendingRequest<bool> SetWatchesPacket(List<string>[] batch, long relativeZxid)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        var writer = new JuteWriter(buffer);
        writer.WriteLong(relativeZxid);
        foreach (var list in batch)
        {
            writer.WriteStrings(list);
        }

        return new PendingRequest<bool>(OpCode.SetWatches2, buffer.WrittenSpan.ToArray(), static (_, ref _) => true, CancellationToken.None, Xids.SetWatches);
    }

    private static byte[] AuthBody(string scheme, byte[] auth)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        var writer = new JuteWriter(buffer);
        writer.WriteInt(0); // auth type
        writer.WriteString(scheme);
        writer.WriteBuffer(auth);
        return buffer.WrittenSpan.ToArray();
    }

    private void EndSession(ZooKeeperState state, ZooKeeperException reason)
    {
        lock (_stateLock)
        {
            EndSessionLocked(state, reason);
        }
    }

    private void EndSessionLocked(ZooKeeperState state, ZooKeeperException reason)
    {
        if (_state == ZooKeeperState.Closed)
        {
            return;
        }

        // The application is told and decides (RenewSessionAsync); watches belonged to the session.
        _watches.Clear();
        FailQueuedLocked(reason);
        SetStateLocked(state);
    }

    private static string Describe(DnsEndPoint server) => $"{server.Host}:{server.Port}";

    private static async Task DelayQuietly(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
