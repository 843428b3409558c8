using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Buffers;
using RedisRing.Resp;

namespace RedisRing.Proxy.Requests;

internal sealed partial class SubRequest
{
    /// <summary>
    /// After SPOP ran on copy <paramref name="executedCopy"/>, removes the same members from every
    /// other copy (SREM), then lowers the set's barrier so that commands parked behind the SPOP
    /// reach all copies after the removal.
    /// </summary>
    private void RemovePoppedFromOtherCopies(int executedCopy)
    {
        var members = new List<ReadOnlyMemory<byte>>();
        var reply = _reply.WrittenMemory;
        if (RespReply.GetString(reply) is { } single && reply.Span[0] == (byte)'$')
        {
            members.Add(single);
        }
        else if (RespReply.TrySplitArray(reply, members))
        {
            for (var i = 0; i < members.Count; i++)
            {
                members[i] = RespReply.GetString(members[i]) ?? ReadOnlyMemory<byte>.Empty;
            }
        }

        var gate = _table.Gates[_set.Id];
        gate.Lower(() =>
        {
            if (members.Count == 0 || _keys.Count == 0)
            {
                return;
            }

            var command = new PooledBufferWriter();
            RespWriter.WriteArrayHeader(command, 2 + members.Count);
            RespWriter.WriteBulk(command, "SREM"u8);
            RespWriter.WriteBulk(command, _keys[0].Span);
            foreach (var member in members)
            {
                RespWriter.WriteBulk(command, member.Span);
            }

            var key = _keys[0].ToArray();
            // Writes list the read copies first, so the copy that popped has the same index there.
            var copies = _set.Writes;
            for (var i = 0; i < copies.Length; i++)
            {
                if (i == executedCopy)
                {
                    continue;
                }

                var node = _table.Backends[copies[i]];
                var target = new HintOnFailure(key);
                if (node.TryEnqueue(command.WrittenSpan, target, 0))
                {
                    node.Flush();
                }
                else
                {
                    node.Hints.Add(key);
                    node.CountWriteCopyFailure();
                }
            }
        });
    }

    /// <summary>Completion of a follow-up write whose reply nobody waits for: failures become hints.</summary>
    private sealed class HintOnFailure(byte[] key) : ICallTarget
    {
        public void OnReply(int tag, BackendNode node, in System.Buffers.ReadOnlySequence<byte> reply)
        {
        }

        public void OnFailure(int tag, BackendNode node)
        {
            node.Hints.Add(key);
            node.CountWriteCopyFailure();
        }

        public void OnTimeout(int tag, BackendNode node)
        {
            node.CountWriteCopyFailure();
            node.RepairKeys([key]);
        }
    }
}
