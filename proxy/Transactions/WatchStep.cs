using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Requests;
using RedisRing.Proxy.Routing;
using RedisRing.Resp;

namespace RedisRing.Proxy.Transactions;

/// <summary>
/// One WATCH command: under a barrier on the set's gate, a PING round trip on the primary's
/// shared connection (so that every write queued there before, this client's included, has been
/// applied), then WATCH on the client's dedicated connection, then the barrier is lowered, so
/// that writes queued after the WATCH reach the primary after it and make EXEC abort as in Redis.
/// The client always gets +OK; a watch that could not be set is broken and EXEC answers nil.
/// </summary>
internal sealed class WatchStep(ProxyRequest request, WatchSession watch, byte[] watchCommand, TimeSpan timeout, TimeProvider time) : IGatedCommand
{
    internal static readonly byte[] Ping = RespWriter.Command("PING");

    public void StartUnderGate(ReplicaSetGate gate, bool deferFlush)
    {
        gate.Raise();
        var ping = new InternalCall();
        var primary = watch.Primary;
        if (primary is null || !primary.TryEnqueue(Ping, ping, 0))
        {
            watch.Break();
            gate.Lower(static () => { });
            Complete();
            return;
        }

        if (deferFlush)
        {
            request.FlushBatch.Add(primary);
        }
        else
        {
            primary.Flush();
        }

        _ = WatchAfterAsync(gate, ping);
    }

    private async Task WatchAfterAsync(ReplicaSetGate gate, InternalCall ping)
    {
        try
        {
            if (await ping.Reply is not { } pong || RespReply.IsError(pong) || await watch.Connection is not { } connection)
            {
                watch.Break();
                return;
            }

            var call = new InternalCall();
            if (!connection.TryEnqueue(watchCommand, call, 0))
            {
                watch.Break();
                return;
            }

            connection.Flush();
            if (await call.Reply.WaitAsync(timeout, time) is not { } reply || RespReply.IsError(reply))
            {
                watch.Break();
            }
        }
        catch (TimeoutException)
        {
            watch.Break();
        }
        finally
        {
            gate.Lower(static () => { });
            Complete();
        }
    }

    private void Complete()
    {
        request.LocalReply.Reset();
        RespWriter.WriteSimpleString(request.LocalReply, "OK");
        request.CompleteLocal();
    }
}
