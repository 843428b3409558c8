using System.Buffers;

namespace RedisRing.Resp.Tests;

/// <summary>
/// The client session's use of <see cref="RequestReader"/>: one frame for the connection, over a
/// buffer that keeps its start until requests are consumed. Records what it read.
/// </summary>
internal sealed class RequestReadLoop(RespLimits limits)
{
    private long _consumed;
    private bool _failed;

    public RequestFrame Frame { get; } = new();

    public List<string> Found { get; } = [];

    public void Receive(ReadOnlySequence<byte> buffer)
    {
        if (_failed)
        {
            return;
        }

        buffer = buffer.Slice(_consumed);
        while (true)
        {
            var status = RequestReader.TryRead(buffer, Frame, limits, out var error);
            if (status == RespStatus.NeedMoreData)
            {
                return;
            }

            if (status == RespStatus.ProtocolError)
            {
                Found.Add("error: " + error);
                _failed = true;
                return;
            }

            Found.Add(Describe(Frame));
            _consumed += Frame.ConsumedLength;
            buffer = buffer.Slice(Frame.ConsumedLength);
        }
    }

    /// <summary>What a reader given all of <paramref name="bytes"/> at once reads.</summary>
    public static List<string> OneShot(ReadOnlySpan<byte> bytes, RespLimits limits)
    {
        var loop = new RequestReadLoop(limits);
        loop.Receive(new ReadOnlySequence<byte>(bytes.ToArray()));
        return loop.Found;
    }

    private static string Describe(RequestFrame frame)
    {
        var arguments = Enumerable.Range(0, frame.Count).Select(i => Convert.ToHexString(frame[i]));
        return $"{frame.ConsumedLength} bytes, inline={frame.IsInline}, [{string.Join(' ', arguments)}], raw {Convert.ToHexString(frame.Raw.Span)}";
    }
}
