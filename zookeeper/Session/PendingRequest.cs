using RedisRing.ZooKeeper.Protocol;

namespace RedisRing.ZooKeeper.Session;

/// <summary>Turns a reply (its error code and body) into a result, or throws the typed error.</summary>
internal delegate T ReplyParser<T>(ErrorCode error, ref JuteReader body);

/// <summary>
/// A request on its way to the server: the body is serialized when the caller submits it (so a
/// request that is too large is refused on the caller's thread), the header is written by the
/// connection, which gives it the next xid and queues it to be matched with its reply.
/// </summary>
internal abstract class PendingRequest(OpCode opCode, byte[] body, int fixedXid = 0)
{
    public OpCode OpCode { get; } = opCode;

    public byte[] Body { get; } = body;

    /// <summary>Non-zero for the reserved xids (auth, ping, set-watches), which are not matched in order.</summary>
    public int FixedXid { get; } = fixedXid;

    public int Xid { get; set; }

    public abstract bool IsCompleted { get; }

    /// <summary>Called on the I/O loop, in reply order. A malformed body throws <see cref="JuteFormatException"/>.</summary>
    public abstract void OnReply(ErrorCode error, ref JuteReader body);

    public abstract void Fail(Exception exception);
}

internal sealed class PendingRequest<T> : PendingRequest
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ReplyParser<T> _parser;
    private readonly CancellationTokenRegistration _cancellation;

    public PendingRequest(OpCode opCode, byte[] body, ReplyParser<T> parser, CancellationToken cancellationToken, int fixedXid = 0)
        : base(opCode, body, fixedXid)
    {
        _parser = parser;
        if (cancellationToken.CanBeCanceled)
        {
            // A request already sent cannot be taken back: cancelling only stops the caller from
            // waiting; its reply is still read (and dropped) to keep replies matched in order.
            _cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((TaskCompletionSource<T>)state!).TrySetCanceled(token), _completion);
        }
    }

    public Task<T> Task => _completion.Task;

    public override bool IsCompleted => _completion.Task.IsCompleted;

    public override void OnReply(ErrorCode error, ref JuteReader body)
    {
        _cancellation.Dispose();
        if (_completion.Task.IsCompleted)
        {
            return;
        }

        T result;
        try
        {
            result = _parser(error, ref body);
        }
        catch (ZooKeeperException e)
        {
            _completion.TrySetException(e);
            return;
        }

        _completion.TrySetResult(result);
    }

    public override void Fail(Exception exception)
    {
        _cancellation.Dispose();
        _completion.TrySetException(exception);
    }
}
