using System.Buffers;
using RedisRing.Resp;

namespace RedisRing.Proxy.Tests.Core;

internal sealed partial class FakeRedisBackend
{
    // Commands queued by MULTI, per connection (under _sync). No WATCH: the core tests cover
    // transactions without it; WATCH runs against real servers in the integration tests.
    private readonly Dictionary<InMemoryConnection, List<string[]>> _transactions = [];

    /// <summary>MULTI, the commands queued after it and EXEC/DISCARD; null for a command outside a transaction.</summary>
    private byte[]? TryTransaction(InMemoryConnection connection, string command, string[] arguments)
    {
        var reply = new ArrayBufferWriter<byte>();
        if (command == "MULTI")
        {
            _transactions[connection] = [];
            RespWriter.WriteSimpleString(reply, "OK");
            return reply.WrittenSpan.ToArray();
        }

        if (!_transactions.TryGetValue(connection, out var queued))
        {
            return null;
        }

        switch (command)
        {
            case "EXEC":
                _transactions.Remove(connection);
                RespWriter.WriteArrayHeader(reply, queued.Count);
                foreach (var each in queued)
                {
                    reply.Write(Execute(each[0].ToUpperInvariant(), each));
                }

                break;
            case "DISCARD":
                _transactions.Remove(connection);
                RespWriter.WriteSimpleString(reply, "OK");
                break;
            default:
                queued.Add(arguments);
                RespWriter.WriteSimpleString(reply, "QUEUED");
                break;
        }

        return reply.WrittenSpan.ToArray();
    }
}
