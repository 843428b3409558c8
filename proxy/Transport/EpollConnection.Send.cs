using System.Buffers;
using System.Runtime.InteropServices;
using static RedisRing.Proxy.Transport.EpollNative;

namespace RedisRing.Proxy.Transport;

internal sealed partial class EpollConnection
{
    private TaskCompletionSource? _writableWaiter;

    private enum SendStatus
    {
        Done,
        Blocked,
        Failed,
    }

    /// <summary>
    /// Sends whatever is flushed into the output pipe. The pipe runs this continuation inline, so
    /// the send happens on the flushing thread with no hop; only a full send buffer makes it wait
    /// for the loop's EPOLLOUT. A failed send closes the connection, which ends the input too.
    /// </summary>
    private async Task SendLoopAsync()
    {
        var reader = _send.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                if (result.IsCanceled || IsDisposed)
                {
                    return;
                }

                var buffer = result.Buffer;
                while (!buffer.IsEmpty)
                {
                    var status = SendSome(ref buffer);
                    if (status == SendStatus.Failed)
                    {
                        return;
                    }

                    if (status == SendStatus.Blocked)
                    {
                        var waiter = new TaskCompletionSource();
                        Interlocked.Exchange(ref _writableWaiter, waiter);

                        // Room may have appeared before the waiter was visible to the loop.
                        status = SendSome(ref buffer);
                        if (status == SendStatus.Failed)
                        {
                            return;
                        }

                        if (status == SendStatus.Blocked && !IsDisposed)
                        {
                            await waiter.Task;
                        }

                        Interlocked.CompareExchange(ref _writableWaiter, null, waiter);
                        if (IsDisposed)
                        {
                            return;
                        }
                    }
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            reader.Complete();
            Dispose();
            SideEnded();
        }
    }

    private unsafe SendStatus SendSome(ref ReadOnlySequence<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var span = buffer.FirstSpan;
            if (span.IsEmpty)
            {
                var next = buffer.Start;
                buffer.TryGet(ref next, out _);
                buffer = buffer.Slice(next);
                continue;
            }

            nint sent;
            fixed (byte* bytes = span)
            {
                sent = send(_fd, bytes, span.Length, MsgNoSignal);
            }

            if (sent >= 0)
            {
                buffer = buffer.Slice(sent);
                continue;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == EAgain)
            {
                return SendStatus.Blocked;
            }

            if (errno != EIntr)
            {
                return SendStatus.Failed;
            }
        }

        return SendStatus.Done;
    }
}
