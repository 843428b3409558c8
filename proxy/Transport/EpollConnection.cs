using System.IO.Pipelines;
using System.Net.Sockets;

namespace RedisRing.Proxy.Transport;

/// <summary>
/// A socket driven by the <see cref="EpollLoop"/>: received bytes are written into the input pipe
/// on the loop thread (so the reader's continuation runs there, as with inline completions), and
/// bytes flushed into the output pipe are sent by the flushing thread itself, waiting for the loop
/// only when the socket's send buffer is full. The descriptor is closed once both directions
/// have stopped, so no system call can reach a reused descriptor.
/// </summary>
internal sealed partial class EpollConnection : IConnection
{

    private readonly Socket _socket;
    private readonly int _fd;
    private readonly EpollLoop _loop;
    private readonly Pipe _receive;
    private readonly Pipe _send;
    private readonly ulong _id;
    private int _disposed;
    private int _openSides = 2;

    public EpollConnection(Socket socket, PipeOptions sendOptions, PipeOptions receiveOptions, EpollLoop loop)
    {
        // Non-blocking so that recv and send return EAGAIN instead of waiting; the socket has never
        // been used asynchronously, so the managed socket layer's own epoll set does not hold it.
        socket.Blocking = false;
        _socket = socket;
        _fd = (int)socket.Handle;
        _loop = loop;
        _receive = new Pipe(receiveOptions);
        _send = new Pipe(sendOptions);
        _id = loop.Register(_fd, this);
        _ = SendLoopAsync();
    }

    public PipeReader Input => _receive.Reader;

    public PipeWriter Output => _send.Writer;

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already reset by the peer or closed after both directions ended.
        }

        // Wake each direction wherever it waits: the sender on its pipe or on the loop, the
        // receiver on a paused flush; the loop then ends the receiving side.
        _send.Reader.CancelPendingRead();
        Interlocked.Exchange(ref _writableWaiter, null)?.TrySetResult();
        _receive.Writer.CancelPendingFlush();
        _loop.Post(this);
    }

    /// <summary>Readiness reported by epoll; runs on the loop thread.</summary>
    internal void OnEvents(uint events)
    {
        // Edge-triggered events carry EPOLLOUT whenever the socket is writable, which is almost
        // always: look before paying for the interlocked exchange.
        if ((events & (EpollNative.EpollOut | EpollNative.EpollErr | EpollNative.EpollHup)) != 0 && Volatile.Read(ref _writableWaiter) is not null)
        {
            Interlocked.Exchange(ref _writableWaiter, null)?.TrySetResult();
        }

        if ((events & (EpollNative.EpollRdHup | EpollNative.EpollErr | EpollNative.EpollHup)) != 0)
        {
            _peerClosed = true;
        }

        if ((events & (EpollNative.EpollIn | EpollNative.EpollRdHup | EpollNative.EpollErr | EpollNative.EpollHup)) != 0)
        {
            Receive();
        }
    }

    /// <summary>Work posted by another thread (a resumed reader or a close); runs on the loop thread.</summary>
    internal void OnPosted()
    {
        if (IsDisposed)
        {
            EndReceive(null);
            return;
        }

        _receivePaused = false;
        Receive();
    }

    private void SideEnded()
    {
        if (Interlocked.Decrement(ref _openSides) == 0)
        {
            _loop.Unregister(_fd, _id);
            _socket.Dispose();
        }
    }
}
