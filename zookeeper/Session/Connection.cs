using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RedisRing.ZooKeeper.Protocol;

namespace RedisRing.ZooKeeper.Session;

/// <summary>
/// One TCP connection to one server: the handshake, then a writer that pipelines requests from
/// the session's queue, a reader that matches replies to them in order, and a pinger. The first
/// of the three to fail ends the connection; requests still in flight then fail with
/// ConnectionLoss, because nobody can know whether the server applied them.
/// </summary>
internal sealed partial class Connection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly ConcurrentQueue<PendingRequest> _inFlight = new();
    private readonly ConcurrentQueue<PendingRequest> _authInFlight = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _maxPacketLength;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _nextXid = 1;
    private long _lastSent;
    private long _lastReceived;

    private Connection(Socket socket, DnsEndPoint server, int maxPacketLength, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        Server = server;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        _maxPacketLength = maxPacketLength;
        _time = time;
        _logger = logger;
        _lastSent = _lastReceived = time.GetTimestamp();
    }

    public DnsEndPoint Server { get; }

    /// <summary>When the last frame arrived (a <see cref="TimeProvider"/> timestamp).</summary>
    public long LastReceived => Interlocked.Read(ref _lastReceived);

    public static async Task<Connection> OpenAsync(DnsEndPoint server, int maxPacketLength, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, cancellationToken);
            return new Connection(socket, server, maxPacketLength, time, logger);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends the connect request and reads the server's answer (no reply header on either).</summary>
    public async Task<ConnectResponse> HandshakeAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(64);
        request.Write(new JuteWriter(body));
        var prefix = new ArrayBufferWriter<byte>(4);
        new JuteWriter(prefix).WriteInt(body.WrittenCount);
        _output.Write(prefix.WrittenSpan);
        _output.Write(body.WrittenSpan);
        await _output.FlushAsync(cancellationToken);

        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (FrameReader.TryRead(ref buffer, _maxPacketLength, out var frame))
            {
                var response = ParseConnectResponse(frame.ToArray());
                _input.AdvanceTo(buffer.Start);
                Interlocked.Exchange(ref _lastReceived, _time.GetTimestamp());
                return response;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                // A server that is behind the client's last zxid, or not serving yet, closes here.
                throw new ConnectionClosedException($"{Describe()} closed the connection during the handshake.");
            }
        }
    }

    /// <summary>
    /// Runs the connection until it fails or is aborted. <paramref name="first"/> (auth and
    /// set-watches packets) goes out before anything from <paramref name="requests"/>.
    /// Returns why it ended.
    /// </summary>
    public async Task<Exception> RunAsync(ChannelReader<PendingRequest> requests, IReadOnlyList<PendingRequest> first, TimeSpan sessionTimeout, IConnectionEvents events)
    {
        var token = _stop.Token;
        var tasks = new[]
        {
            ReadLoopAsync(events, token),
            WriteLoopAsync(requests, first, token),
            PingLoopAsync(sessionTimeout, token),
        };
        var ended = await Task.WhenAny(tasks);
        var reason = ended.Exception?.GetBaseException() ?? new ConnectionClosedException($"Connection to {Describe()} ended.");
        await _stop.CancelAsync();
        _socket.Close();
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception)
        {
            // Every loop ends with an exception once the socket is closed; the first one is the reason.
        }

        var loss = reason as AuthFailedException as Exception ?? new ConnectionLossException();
        while (_inFlight.TryDequeue(out var request))
        {
            request.Fail(loss);
        }

        while (_authInFlight.TryDequeue(out var request))
        {
            request.Fail(loss);
        }

        return reason;
    }

    /// <summary>Ends the connection (the run then returns); safe to call more than once.</summary>
    public void Abort()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        _socket.Close();
        await _input.CompleteAsync();
        await _output.CompleteAsync();
        await _stream.DisposeAsync();
        _socket.Dispose();
        _stop.Dispose();
        _writeLock.Dispose();
    }

    private string Describe() => $"{Server.Host}:{Server.Port}";

    private static ConnectResponse ParseConnectResponse(byte[] frame)
    {
        var reader = new JuteReader(frame);
        var protocolVersion = reader.ReadInt();
        var timeout = reader.ReadInt();
        var sessionId = reader.ReadLong();
        var password = reader.ReadBuffer() ?? [];

        // A trailing read-only flag is optional (older servers omit it) and ignored.
        return new ConnectResponse(protocolVersion, timeout, sessionId, password);
    }
}
