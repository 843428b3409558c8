using System.Buffers;

namespace RedisRing.Resp.Tests;

/// <summary>
/// The backend read loop's use of <see cref="ReplyScanner"/>: one scan state, reset after each
/// reply, over a buffer that keeps its start until replies are consumed. Records what it found.
/// </summary>
internal sealed class ReplyReadLoop
{
    private ReplyScanState _state;
    private long _consumed;
    private bool _failed;

    public List<string> Found { get; } = [];

    public void Receive(ReadOnlySequence<byte> buffer)
    {
        if (_failed)
        {
            return;
        }

        buffer = buffer.Slice(_consumed);
        while (!buffer.IsEmpty)
        {
            var status = ReplyScanner.TryScan(buffer, ref _state, out var length);
            if (status == RespStatus.NeedMoreData)
            {
                return;
            }

            _state.Reset();
            if (status == RespStatus.ProtocolError)
            {
                Found.Add("protocol error");
                _failed = true;
                return;
            }

            Found.Add($"reply of {length} bytes");
            _consumed += length;
            buffer = buffer.Slice(length);
        }
    }

    /// <summary>What a reader given all of <paramref name="bytes"/> at once finds.</summary>
    public static List<string> OneShot(ReadOnlySpan<byte> bytes)
    {
        var loop = new ReplyReadLoop();
        loop.Receive(new ReadOnlySequence<byte>(bytes.ToArray()));
        return loop.Found;
    }
}
