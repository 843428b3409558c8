using RedisRing.Proxy.Backends;

namespace RedisRing.Proxy.Requests;

internal sealed partial class SubRequest
{
    /// <summary>
    /// After a node-dependent command (<see cref="FirstCopyRewrite"/>) ran on copy
    /// <paramref name="executedCopy"/>, sends every other copy the explicit command made from its
    /// reply (SREM of the popped members, XADD with the chosen ID, XCLAIM of the claimed IDs), then
    /// lowers the set's barrier so that commands parked behind it reach all copies after it.
    /// </summary>
    private void ReplicateToOtherCopies(int executedCopy)
    {
        var followUp = _keys.Count == 0 ? null : FollowUpCommands.Build(_rewrite, _command, _reply.WrittenMemory);
        var gate = _table.Gates[_set.Id];
        gate.Lower(() =>
        {
            if (followUp is null)
            {
                return;
            }

            var key = _keys[0].ToArray();
            // Writes list the read copies first, so the copy that ran it has the same index there.
            var copies = _set.Writes;
            for (var i = 0; i < copies.Length; i++)
            {
                if (i == executedCopy)
                {
                    continue;
                }

                var node = _table.Backends[copies[i]];
                if (i >= _set.Reads.Length && node.WarmUp.Generation != 0)
                {
                    // A copy being filled (see SendWrite): this write may cross the copy of its key.
                    node.WarmUp.OnWrite(key);
                }

                var target = new HintOnFailure(key);
                if (node.TryEnqueue(followUp, target, 0))
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
