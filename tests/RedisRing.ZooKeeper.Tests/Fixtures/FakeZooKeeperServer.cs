using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace RedisRing.ZooKeeper.Tests.Fixtures;

/// <summary>
/// A FAKE ZooKeeper server, for the one thing a real server cannot be made to do: misbehave on
/// the wire. It accepts the handshake, then lets the test decide what each connection does after
/// it; connections past the scripted ones answer every request with an empty Ok reply.
/// </summary>
public sealed class FakeZooKeeperServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<NetworkStream, Task>[] _scripts;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private readonly bool _handshake;
    private readonly ConcurrentQueue<byte[]> _connectRequests = new();
    private int _connections;

    public FakeZooKeeperServer(params Func<NetworkStream, Task>[] scripts)
        : this(handshake: true, scripts)
    {
    }

    /// <param name="handshake">False: the scripts run right after accepting, before any connect response.</param>
    /// <param name="scripts">What connection 1, 2... does.</param>
    public FakeZooKeeperServer(bool handshake, params Func<NetworkStream, Task>[] scripts)
    {
        _handshake = handshake;
        _scripts = scripts;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The session timeout the fake grants, in milliseconds.</summary>
    public int TimeoutMs { get; init; } = 4000;

    /// <summary>Every connect request received, in order (raw jute bodies).</summary>
    public IReadOnlyList<byte[]> ConnectRequests => [.. _connectRequests];

    /// <summary>Reads one request frame and returns its xid.</summary>
    public static async Task<int> ReadRequestAsync(NetworkStream stream)
    {
        var frame = await ReadFrameAsync(stream);
        return BinaryPrimitives.ReadInt32BigEndian(frame);
    }

    public static async Task WriteAsync(NetworkStream stream, params byte[][] parts)
    {
        foreach (var part in parts)
        {
            await stream.WriteAsync(part);
        }

        await stream.FlushAsync();
    }

    public static byte[] Int(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accept;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private static async Task<byte[]> ReadFrameAsync(NetworkStream stream)
    {
        var prefix = new byte[4];
        await stream.ReadExactlyAsync(prefix);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
        await stream.ReadExactlyAsync(frame);
        return frame;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            var index = Interlocked.Increment(ref _connections) - 1;
            _ = ServeAsync(socket, index < _scripts.Length ? _scripts[index] : AnswerOkAsync);
        }
    }

    private async Task ServeAsync(Socket socket, Func<NetworkStream, Task> script)
    {
        using (socket)
        await using (var stream = new NetworkStream(socket))
        {
            try
            {
                if (!_handshake)
                {
                    await script(stream);
                    return;
                }

                _connectRequests.Enqueue(await ReadFrameAsync(stream));
                var password = new byte[16];
                var response = new List<byte>();
                response.AddRange(Int(0)); // protocol version
                response.AddRange(Int(TimeoutMs));
                response.AddRange(new byte[] { 0, 0, 0, 0, 0, 0, 0x12, 0x34 }); // session id
                response.AddRange(Int(password.Length));
                response.AddRange(password);
                response.Add(0); // read-only
                await WriteAsync(stream, Int(response.Count), [.. response]);
                await script(stream);
            }
            catch (Exception e) when (e is IOException or SocketException or EndOfStreamException)
            {
                // The client hung up: fine for a fake.
            }
        }
    }

    /// <summary>Answers every request (pings included) with an empty Ok reply.</summary>
    public static async Task AnswerOkAsync(NetworkStream stream)
    {
        while (true)
        {
            var xid = await ReadRequestAsync(stream);
            await WriteAsync(stream, Int(16), Int(xid), new byte[8], Int(0));
        }
    }
}
