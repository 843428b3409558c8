using System.Buffers;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Routing;
using RedisRing.Ring;

namespace RedisRing.Proxy.Transactions;

/// <summary>
/// After a watched transaction committed on the primary: the same block on every other copy of
/// the set. A copy that fails it is hinted (down) or marked diverged and replayed from a readable
/// copy (an error, a timeout, or a reply whose shape differs from the primary's), as for any
/// write. Completes with the number of copies, the primary included, that applied it alike.
/// </summary>
internal sealed class FollowerCopies(RoutingTable table, ReplicaSet set, BackendNode primary, List<ReadOnlyMemory<byte>> keys, string primarySignature) : ICallTarget
{
    private readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining;
    private int _acknowledged = 1;

    public Task<int> Acknowledged => _done.Task;

    /// <summary>Queues the block on the other copies; call under the set's gate (from its barrier's second step).</summary>
    public void Send(byte[] block, int replies, bool mayRunLong)
    {
        var copies = set.Writes;
        _remaining = copies.Length + 1;
        for (var i = 0; i < copies.Length; i++)
        {
            var node = table.Backends[copies[i]];
            if (ReferenceEquals(node, primary))
            {
                Finished();
                continue;
            }

            if (node.State == BackendState.CatchingUp)
            {
                AddHints(node);
            }

            if (i >= set.Reads.Length && node.WarmUp.Generation != 0)
            {
                foreach (var key in keys)
                {
                    node.WarmUp.OnWrite(key.Span);
                }
            }

            if (node.TryEnqueueBlock(block, replies, this, i, mayRunLong))
            {
                node.Flush();
            }
            else
            {
                OnFailure(i, node);
            }
        }

        Finished();
    }

    public void OnReply(int tag, BackendNode node, in ReadOnlySequence<byte> reply)
    {
        if (ExecReplies.Signature(reply.ToArray()) == primarySignature)
        {
            Interlocked.Increment(ref _acknowledged);
        }
        else
        {
            node.CountWriteCopyFailure();
            node.RepairKeys(keys);
        }

        Finished();
    }

    public void OnFailure(int tag, BackendNode node)
    {
        AddHints(node);
        node.CountWriteCopyFailure();
        Finished();
    }

    public void OnTimeout(int tag, BackendNode node)
    {
        node.CountWriteCopyFailure();
        node.RepairKeys(keys);
        Finished();
    }

    private void AddHints(BackendNode node)
    {
        foreach (var key in keys)
        {
            node.Hints.Add(key.Span);
        }
    }

    private void Finished()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult(Volatile.Read(ref _acknowledged));
        }
    }
}
