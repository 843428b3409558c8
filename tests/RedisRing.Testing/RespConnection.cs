using System.Net.Sockets;

namespace RedisRing.Testing;

/// <summary>
/// A persistent raw RESP connection for tests: send commands (pipelined if you like) and read
/// each reply as its raw RESP text, so tests compare exactly what a server sent.
/// </summary>
public sealed class RespConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly RawReplyReader _reader;

    private RespConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new RawReplyReader(new BufferedStream(_stream, 64 * 1024));
    }

    public static async Task<RespConnection> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", port);
        return new RespConnection(client);
    }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public Task SendAsync(params string[] arguments) => SendRawAsync(RawRedis.Encode(arguments));

    public async Task SendRawAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, cts.Token);
    }

    public async Task<string> ReadReplyAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        return await _reader.ReadReplyAsync(cts.Token);
    }

    public async Task<string> CommandAsync(params string[] arguments)
    {
        await SendAsync(arguments);
        return await ReadReplyAsync();
    }

    /// <summary>True when the server has closed the connection (reads return end of stream).</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer, cts.Token);
                if (read == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
