using System.Buffers;

namespace RedisRing.Proxy.Backends;

/// <summary>
/// Receives the outcome of one command sent to one backend. Calls arrive on the backend's read
/// loop; implementations must not block.
/// </summary>
internal interface ICallTarget
{
    /// <summary>The backend answered; <paramref name="reply"/> is valid only during the call.</summary>
    void OnReply(int tag, BackendNode node, in ReadOnlySequence<byte> reply);

    /// <summary>The command may or may not have run: the connection failed (and was closed).</summary>
    void OnFailure(int tag, BackendNode node);

    /// <summary>
    /// No reply within the per-command timeout. The connection stays, so the command may still
    /// run; its reply, if it comes, is dropped.
    /// </summary>
    void OnTimeout(int tag, BackendNode node);
}
