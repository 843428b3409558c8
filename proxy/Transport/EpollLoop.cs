using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using static RedisRing.Proxy.Transport.EpollNative;

namespace RedisRing.Proxy.Transport;

/// <summary>
/// One thread waiting on one edge-triggered epoll set for every client and backend socket, the
/// way twemproxy's event loop does. Edge triggering lets a connection stop reading after a short
/// read instead of calling recv again only to learn that nothing is left (the managed socket
/// layer always makes that extra call: one wasted system call per request at pipeline depth 1).
/// Work for the loop from other threads (resume a paused reader, finish a close) is posted to a
/// queue and signalled through an eventfd.
/// </summary>
internal sealed unsafe class EpollLoop
{
    private const int MaxEvents = 256;
    private const ulong WakeupData = 0;

    private static readonly Lazy<EpollLoop> s_shared = new(() => new EpollLoop(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly int _epoll;
    private readonly int _wakeup;
    private readonly ConcurrentDictionary<ulong, EpollConnection> _connections = new();
    private readonly ConcurrentQueue<EpollConnection> _posted = new();
    private long _nextId;
    private int _wakeupPending;

    private EpollLoop()
    {
        _epoll = epoll_create1(EpollCloexec);
        if (_epoll < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        _wakeup = eventfd(0, EfdCloexec | EfdNonblock);
        if (_wakeup < 0)
        {
            throw new InvalidOperationException($"eventfd failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var evt = new EpollEvent { Events = EpollIn | EpollEt, Data = WakeupData };
        if (epoll_ctl(_epoll, EpollCtlAdd, _wakeup, &evt) != 0)
        {
            throw new InvalidOperationException($"epoll_ctl failed: errno {Marshal.GetLastPInvokeError()}");
        }

        new Thread(Run) { IsBackground = true, Name = "redisring-epoll" }.Start();
    }

    /// <summary>The loop every connection of this process uses.</summary>
    public static EpollLoop Shared => s_shared.Value;

    /// <summary>Adds a socket to the set; its events go to the connection from now on.</summary>
    public ulong Register(int fd, EpollConnection connection)
    {
        var id = (ulong)Interlocked.Increment(ref _nextId);
        _connections[id] = connection;
        var evt = new EpollEvent { Events = EpollIn | EpollOut | EpollRdHup | EpollEt, Data = id };
        if (epoll_ctl(_epoll, EpollCtlAdd, fd, &evt) != 0)
        {
            _connections.TryRemove(id, out _);
            throw new System.Net.Sockets.SocketException((int)ToSocketError(Marshal.GetLastPInvokeError()));
        }

        return id;
    }

    /// <summary>Removes a socket before it is closed, so a reused descriptor can never reach it.</summary>
    public void Unregister(int fd, ulong id)
    {
        _connections.TryRemove(id, out _);
        epoll_ctl(_epoll, EpollCtlDel, fd, null);
    }

    /// <summary>Runs <see cref="EpollConnection.OnPosted"/> on the loop thread soon.</summary>
    public void Post(EpollConnection connection)
    {
        _posted.Enqueue(connection);
        if (Interlocked.Exchange(ref _wakeupPending, 1) == 0)
        {
            ulong one = 1;
            write(_wakeup, &one, sizeof(ulong));
        }
    }

    private static void Deliver(EpollConnection connection, uint events)
    {
        try
        {
            connection.OnEvents(events);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // A pipe or socket torn down under the handler: close this connection, keep the loop
            // (and every other connection) alive.
            connection.Dispose();
        }
    }

    private void Run()
    {
        var events = (EpollEvent*)NativeMemory.Alloc(MaxEvents, (nuint)sizeof(EpollEvent));
        while (true)
        {
            var count = epoll_wait(_epoll, events, MaxEvents, -1);
            if (count < 0)
            {
                if (Marshal.GetLastPInvokeError() == EIntr)
                {
                    continue;
                }

                Environment.FailFast($"epoll_wait failed: errno {Marshal.GetLastPInvokeError()}");
            }

            var woken = false;
            for (var i = 0; i < count; i++)
            {
                var data = events[i].Data;
                if (data == WakeupData)
                {
                    woken = true;
                }
                else if (_connections.TryGetValue(data, out var connection))
                {
                    Deliver(connection, events[i].Events);
                }
            }

            if (woken)
            {
                ulong value;
                read(_wakeup, &value, sizeof(ulong));
                Volatile.Write(ref _wakeupPending, 0);
                while (_posted.TryDequeue(out var connection))
                {
                    connection.OnPosted();
                }
            }
        }
    }
}
