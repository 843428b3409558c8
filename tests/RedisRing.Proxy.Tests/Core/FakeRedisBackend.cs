using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using RedisRing.Resp;

namespace RedisRing.Proxy.Tests.Core;

/// <summary>
/// A fake Redis server for the proxy's core tests, on in-memory pipes: it parses commands with
/// resp/'s <see cref="RequestReader"/>, keeps a tiny in-memory dictionary (GET, SET, DEL, MGET,
/// MSET, SADD, SREM, SPOP, INFO server with a run_id, PING) and can be scripted to stall, hold
/// its replies until released, answer an error, drop its connections or refuse new ones. It is
/// not Redis: anything else gets an error. Every command it reads is recorded, in order.
/// </summary>
internal sealed partial class FakeRedisBackend(string name)
{
    private readonly object _sync = new();
    private readonly List<InMemoryConnection> _live = [];
    private readonly List<(InMemoryConnection Connection, byte[] Reply)> _held = [];
    private readonly ConcurrentQueue<string> _received = new();
    private bool _stalled;
    private bool _holding;
    private string? _dropOn;
    private (string Command, string Error)? _failNext;
    private int _accepted;

    public string Name { get; } = name;

    /// <summary>What INFO server reports as run_id; change it to fake a restart.</summary>
    public string RunId { get; set; } = name + "-run-id";

    /// <summary>New connections fail with an IOException while set (a server that is down).</summary>
    public bool RefuseConnections { get; set; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Every command read, as its arguments joined by spaces, in arrival order (handshakes included).</summary>
    public IReadOnlyList<string> Received => [.. _received];

    /// <summary>The commands read whose name is <paramref name="command"/> (e.g. "SET").</summary>
    public IReadOnlyList<string> ReceivedOf(string command) =>
        _received.Where(c => c.Equals(command, StringComparison.OrdinalIgnoreCase) || c.StartsWith(command + " ", StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Called by the connector: the proxy's end of a new connection to this server.</summary>
    public InMemoryConnection Accept()
    {
        if (RefuseConnections)
        {
            throw new IOException($"{Name}: connection refused (fake)");
        }

        var (proxyEnd, serverEnd) = InMemoryConnection.CreatePair();
        lock (_sync)
        {
            _live.Add(serverEnd);
        }

        Interlocked.Increment(ref _accepted);
        _ = Task.Run(() => ServeAsync(serverEnd));
        return proxyEnd;
    }

    /// <summary>Reads and records commands but answers none until <see cref="Resume"/> (a hung server).</summary>
    public void Stall()
    {
        lock (_sync)
        {
            _stalled = true;
        }
    }

    public void Resume()
    {
        lock (_sync)
        {
            _stalled = false;
        }
    }

    /// <summary>Executes commands as they come but keeps their replies until <see cref="ReleaseReplies"/>.</summary>
    public void HoldReplies()
    {
        lock (_sync)
        {
            _holding = true;
        }
    }

    /// <summary>Sends every held reply, in order, and answers at once from now on.</summary>
    public void ReleaseReplies()
    {
        lock (_sync)
        {
            _holding = false;
            foreach (var (connection, reply) in _held)
            {
                Send(connection, reply);
            }

            _held.Clear();
        }
    }

    /// <summary>Drops the connection, without answering, when the next <paramref name="command"/> arrives.</summary>
    public void DropOnNext(string command)
    {
        lock (_sync)
        {
            _dropOn = command;
        }
    }

    /// <summary>Answers the next <paramref name="command"/> with <paramref name="error"/> (without the leading '-') instead of running it.</summary>
    public void FailNext(string command, string error)
    {
        lock (_sync)
        {
            _failNext = (command, error);
        }
    }

    /// <summary>Closes every connection now, as a crash or a network cut would.</summary>
    public void DropConnections()
    {
        lock (_sync)
        {
            foreach (var connection in _live)
            {
                connection.Dispose();
            }

            _live.Clear();
        }
    }

    private async Task ServeAsync(InMemoryConnection connection)
    {
        var frame = new RequestFrame();
        var input = connection.Input;
        try
        {
            while (!connection.IsDisposed)
            {
                var result = await input.ReadAsync();
                if (result.IsCanceled || connection.IsDisposed)
                {
                    return;
                }

                var buffer = result.Buffer;
                while (RequestReader.TryRead(buffer, frame, RespLimits.Default, out _) == RespStatus.Complete)
                {
                    var arguments = new string[frame.Count];
                    for (var i = 0; i < frame.Count; i++)
                    {
                        arguments[i] = Encoding.Latin1.GetString(frame[i]);
                    }

                    buffer = buffer.Slice(frame.ConsumedLength);
                    if (arguments.Length > 0 && !Handle(connection, arguments))
                    {
                        return;
                    }
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (InvalidOperationException)
        {
            // The pipe was completed under us by a drop.
        }
        finally
        {
            frame.Reset();
            lock (_sync)
            {
                _live.Remove(connection);
            }

            connection.Dispose();
        }
    }

    /// <summary>Runs one command; false when the connection was dropped.</summary>
    private bool Handle(InMemoryConnection connection, string[] arguments)
    {
        var command = arguments[0].ToUpperInvariant();
        lock (_sync)
        {
            _received.Enqueue(string.Join(' ', arguments));
            if (_dropOn == command)
            {
                _dropOn = null;
                _live.Remove(connection);
                connection.Dispose();
                return false;
            }

            byte[] reply;
            if (_failNext is { } fail && fail.Command == command)
            {
                _failNext = null;
                _transactions.Remove(connection);
                reply = Encoding.Latin1.GetBytes("-" + fail.Error + "\r\n");
            }
            else if (TryTransaction(connection, command, arguments) is { } transactionReply)
            {
                reply = transactionReply;
            }
            else
            {
                reply = Execute(command, arguments);
            }

            if (_stalled)
            {
                return true;
            }

            if (_holding)
            {
                _held.Add((connection, reply));
                return true;
            }

            Send(connection, reply);
            return true;
        }
    }

    private static void Send(InMemoryConnection connection, byte[] reply)
    {
        if (connection.IsDisposed)
        {
            return;
        }

        try
        {
            connection.Output.Write(reply);

            // Never waits: the pipe has no back-pressure threshold.
            _ = connection.Output.FlushAsync();
        }
        catch (InvalidOperationException)
        {
            // Dropped meanwhile.
        }
    }
}
