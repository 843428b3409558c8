using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using static RedisRing.Proxy.Transport.EpollNative;

namespace RedisRing.Proxy.Transport;

internal sealed partial class EpollConnection
{
    // Room asked of the pipe before each recv, so that a nearly full segment does not turn one
    // read into two.
    private const int MinReceive = 4096;

    // Loop thread only.
    private bool _receivePaused;
    private bool _receiveEnded;

    // The peer shut down its side (or the socket failed): read on past short reads until recv
    // says so, because the end may have arrived in the same edge as the last bytes.
    private bool _peerClosed;

    /// <summary>
    /// Reads until the socket is drained. Epoll is edge-triggered, so a read shorter than the
    /// buffer means no bytes are left and the next arrival raises a new event: no extra recv to
    /// find EAGAIN (the end of the stream is the exception, see <see cref="_peerClosed"/>). Stops while the reader is behind (the pipe's pause threshold) and resumes
    /// when it catches up.
    /// </summary>
    private unsafe void Receive()
    {
        if (_receiveEnded || _receivePaused)
        {
            return;
        }

        var writer = _receive.Writer;
        while (true)
        {
            var memory = writer.GetMemory(MinReceive);
            nint received;
            fixed (byte* buffer = memory.Span)
            {
                received = recv(_fd, buffer, memory.Length, 0);
            }

            if (received > 0)
            {
                writer.Advance((int)received);
                var flush = writer.FlushAsync();
                if (!flush.IsCompleted)
                {
                    _receivePaused = true;
                    _ = ResumeWhenFlushedAsync(flush);
                    return;
                }

                var result = flush.GetAwaiter().GetResult();
                if (result.IsCompleted)
                {
                    // The reader is gone: nobody wants more bytes.
                    EndReceive(null);
                    return;
                }

                if (result.IsCanceled || (received < memory.Length && !_peerClosed))
                {
                    return;
                }

                continue;
            }

            if (received == 0)
            {
                EndReceive(null);
                return;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == EAgain)
            {
                return;
            }

            if (errno != EIntr)
            {
                EndReceive(new SocketException((int)ToSocketError(errno)));
                return;
            }
        }
    }

    private async Task ResumeWhenFlushedAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            await flush;
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Ended meanwhile; the posted call sees it.
        }

        _loop.Post(this);
    }

    private void EndReceive(Exception? error)
    {
        if (_receiveEnded)
        {
            return;
        }

        _receiveEnded = true;
        _receive.Writer.Complete(error);
        SideEnded();
    }
}
