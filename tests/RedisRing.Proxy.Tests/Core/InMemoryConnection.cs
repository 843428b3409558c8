using System.IO.Pipelines;
using RedisRing.Proxy.Transport;

namespace RedisRing.Proxy.Tests.Core;

/// <summary>
/// One end of an in-memory duplex byte stream: what a socket is to the proxy, without one.
/// Disposing an end behaves like closing a socket: the peer reads the end of the stream, and a
/// read pending on this end returns (cancelled) so that its loop can stop.
/// </summary>
internal sealed class InMemoryConnection : IConnection
{
    // Each direction's reader resumes on the thread pool, as a socket's would on its own thread:
    // the two sides never run inside each other's flush.
    private static readonly PipeOptions s_options = new(
        pauseWriterThreshold: 0,
        resumeWriterThreshold: 0,
        readerScheduler: PipeScheduler.ThreadPool,
        writerScheduler: PipeScheduler.Inline,
        useSynchronizationContext: false);

    private readonly Pipe _incoming;
    private readonly Pipe _outgoing;
    private int _disposed;

    private InMemoryConnection(Pipe incoming, Pipe outgoing)
    {
        _incoming = incoming;
        _outgoing = outgoing;
    }

    public PipeReader Input => _incoming.Reader;

    public PipeWriter Output => _outgoing.Writer;

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Two connected ends: what one writes, the other reads.</summary>
    public static (InMemoryConnection Left, InMemoryConnection Right) CreatePair()
    {
        var leftToRight = new Pipe(s_options);
        var rightToLeft = new Pipe(s_options);
        return (new InMemoryConnection(rightToLeft, leftToRight), new InMemoryConnection(leftToRight, rightToLeft));
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            _outgoing.Writer.Complete();
        }
        catch (InvalidOperationException)
        {
            // A write was in progress on another thread; the reader below still stops.
        }

        _incoming.Reader.CancelPendingRead();
    }
}
