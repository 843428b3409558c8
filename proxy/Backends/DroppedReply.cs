using System.Buffers;

namespace RedisRing.Proxy.Backends;

/// <summary>
/// The target of replies nobody needs: the +OK and +QUEUED inside a transaction block, whose
/// outcome EXEC's own reply carries (a failure there also fails the block's last command).
/// </summary>
internal sealed class DroppedReply : ICallTarget
{
    public static DroppedReply Instance { get; } = new();

    public void OnReply(int tag, BackendNode node, in ReadOnlySequence<byte> reply)
    {
    }

    public void OnFailure(int tag, BackendNode node)
    {
    }

    public void OnTimeout(int tag, BackendNode node)
    {
    }
}
