using RedisRing.Proxy.Backends;

namespace RedisRing.Proxy.Requests;

/// <summary>
/// The backends a client's batch of pipelined commands wrote to, so that each is flushed once per
/// batch instead of once per command. Used only by the session's own thread.
/// </summary>
internal sealed class BackendFlushBatch
{
    private readonly List<BackendNode> _nodes = new(8);

    public void Add(BackendNode node)
    {
        // A handful of nodes per batch: a list scan beats hashing.
        foreach (var existing in _nodes)
        {
            if (ReferenceEquals(existing, node))
            {
                return;
            }
        }

        _nodes.Add(node);
    }

    public void FlushAll()
    {
        foreach (var node in _nodes)
        {
            node.Flush();
        }

        _nodes.Clear();
    }
}
