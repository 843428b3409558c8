using System.Buffers;

namespace RedisRing.Proxy.Backends;

/// <summary>
/// A command the proxy sends on its own behalf (handshake, SCAN, hinted-handoff copies): the
/// reply is copied out and handed to an awaiting task. Not used on the client hot path.
/// </summary>
internal sealed class InternalCall : ICallTarget
{
    private readonly TaskCompletionSource<byte[]?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The raw reply, or null when the backend failed before answering.</summary>
    public Task<byte[]?> Reply => _completion.Task;

    public void OnReply(int tag, BackendNode node, in ReadOnlySequence<byte> reply) => _completion.TrySetResult(reply.ToArray());

    public void OnFailure(int tag, BackendNode node) => _completion.TrySetResult(null);

    public void OnTimeout(int tag, BackendNode node) => _completion.TrySetResult(null);
}
