using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;

namespace RedisRing.Proxy.Transport;

/// <summary>
/// An authenticated <see cref="SslStream"/> seen as two pipes, with the same options (pool,
/// thresholds, schedulers) as a plain socket's, so that the session and the backend connection
/// cannot tell the difference: a flush returns once the send pipe took the bytes, not once the
/// peer did. Two loops move the bytes: the stream's plaintext into the receive pipe, the send
/// pipe into the stream (one TLS record per pool block). Disposing closes the socket, which ends both.
/// </summary>
internal sealed class TlsStreamConnection : IConnection
{
    private readonly SslStream _stream;
    private readonly Socket _socket;
    private readonly Pipe _receive;
    private readonly Pipe _send;
    private int _disposed;
    private int _loopsRunning = 2;

    public TlsStreamConnection(SslStream stream, Socket socket, PipeOptions sendOptions, PipeOptions receiveOptions)
    {
        _stream = stream;
        _socket = socket;
        _receive = new Pipe(receiveOptions);
        _send = new Pipe(sendOptions);
        _ = ReceiveAsync();
        _ = SendAsync();
    }

    public PipeReader Input => _receive.Reader;

    public PipeWriter Output => _send.Writer;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Closing the socket fails whatever the two loops are waiting on; the stream is disposed
        // once neither uses it (below), as SslStream is not safe to dispose under a pending call.
        _socket.Dispose();
        _receive.Writer.CancelPendingFlush();
        _send.Reader.CancelPendingRead();
    }

    private async Task ReceiveAsync()
    {
        var writer = _receive.Writer;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(1);
                var read = await _stream.ReadAsync(memory);
                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);
                var flushed = await writer.FlushAsync();
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The peer or Dispose closed the connection: the reader sees the end of its input.
        }
        finally
        {
            await writer.CompleteAsync();
            Dispose();
            await LoopEndedAsync();
        }
    }

    private async Task SendAsync()
    {
        var reader = _send.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                if (result.IsCanceled)
                {
                    break;
                }

                foreach (var segment in result.Buffer)
                {
                    await _stream.WriteAsync(segment);
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The peer or Dispose closed the connection: the writer's next flush says so.
        }
        finally
        {
            await reader.CompleteAsync();
            Dispose();
            await LoopEndedAsync();
        }
    }

    private ValueTask LoopEndedAsync() =>
        Interlocked.Decrement(ref _loopsRunning) == 0 ? _stream.DisposeAsync() : ValueTask.CompletedTask;
}
