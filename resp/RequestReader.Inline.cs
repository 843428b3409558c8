using System.Buffers;
using System.Buffers.Text;

namespace RedisRing.Resp;

public static partial class RequestReader
{
    /// <summary>
    /// Reads an inline command: one line split into arguments with Redis's quoting rules
    /// (sdssplitargs: "double quotes" with \n \r \t \b \a \\ \" \xHH escapes, 'single quotes'
    /// with \'). The arguments are re-encoded as a RESP array so that the rest of the proxy
    /// handles one request form only.
    /// </summary>
    private static RespStatus TryReadInline(in ReadOnlySequence<byte> buffer, RequestFrame frame, RespLimits limits, out string? error)
    {
        error = null;

        // The bytes an earlier call searched hold no newline: search only those that came since.
        var searched = frame.Scan.LineSearched;
        var newline = (searched == 0 ? buffer : buffer.Slice(searched)).PositionOf((byte)'\n');
        if (newline is null)
        {
            frame.BytesExamined += buffer.Length - searched;
            if (buffer.Length > limits.MaxInlineLength)
            {
                error = "Protocol error: too big inline request";
                return RespStatus.ProtocolError;
            }

            frame.Scan.InProgress = true;
            frame.Scan.LineSearched = buffer.Length;
            return RespStatus.NeedMoreData;
        }

        var lineSequence = buffer.Slice(0, newline.Value);
        var consumed = lineSequence.Length + 1;
        frame.BytesExamined += consumed - searched;
        if (lineSequence.Length > limits.MaxInlineLength)
        {
            error = "Protocol error: too big inline request";
            return RespStatus.ProtocolError;
        }

        var lineArray = ArrayPool<byte>.Shared.Rent((int)lineSequence.Length);
        try
        {
            lineSequence.CopyTo(lineArray);
            var line = lineArray.AsSpan(0, (int)lineSequence.Length);
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            // Decoded arguments are never longer than the line, so the line length bounds them.
            var decoded = ArrayPool<byte>.Shared.Rent(line.Length + 1);
            var spans = new List<(int Start, int Length)>();
            try
            {
                if (!SplitArguments(line, decoded, spans))
                {
                    error = "Protocol error: unbalanced quotes in request";
                    return RespStatus.ProtocolError;
                }

                frame.ConsumedLength = consumed;
                if (spans.Count == 0)
                {
                    return RespStatus.Complete;
                }

                Encode(frame, decoded, spans);
                frame.ConsumedLength = consumed;
                return RespStatus.Complete;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(decoded);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(lineArray);
        }
    }

    private static void Encode(RequestFrame frame, byte[] decoded, List<(int Start, int Length)> spans)
    {
        var size = 1 + 20 + 2;
        foreach (var (_, length) in spans)
        {
            size += 1 + 20 + 2 + length + 2;
        }

        var target = frame.GetCopyBuffer(size);
        var position = 0;
        target[position++] = (byte)'*';
        position += WriteInt(target.AsSpan(position), spans.Count);
        target[position++] = (byte)'\r';
        target[position++] = (byte)'\n';
        var starts = new int[spans.Count];
        for (var i = 0; i < spans.Count; i++)
        {
            var (start, length) = spans[i];
            target[position++] = (byte)'$';
            position += WriteInt(target.AsSpan(position), length);
            target[position++] = (byte)'\r';
            target[position++] = (byte)'\n';
            starts[i] = position;
            decoded.AsSpan(start, length).CopyTo(target.AsSpan(position));
            position += length;
            target[position++] = (byte)'\r';
            target[position++] = (byte)'\n';
        }

        frame.SetSource(target.AsMemory(0, position), isInline: true);
        for (var i = 0; i < spans.Count; i++)
        {
            frame.AddArgument(starts[i], spans[i].Length);
        }
    }

    private static int WriteInt(Span<byte> target, long value)
    {
        Utf8Formatter.TryFormat(value, target, out var written);
        return written;
    }

    private static bool SplitArguments(ReadOnlySpan<byte> line, byte[] output, List<(int Start, int Length)> spans)
    {
        var i = 0;
        var o = 0;
        while (true)
        {
            while (i < line.Length && IsSpace(line[i]))
            {
                i++;
            }

            if (i >= line.Length)
            {
                return true;
            }

            var start = o;
            var inDouble = false;
            var inSingle = false;
            var done = false;
            while (!done)
            {
                if (inDouble)
                {
                    if (i >= line.Length)
                    {
                        return false;
                    }

                    if (line[i] == (byte)'\\' && i + 3 < line.Length && line[i + 1] == (byte)'x' && IsHex(line[i + 2]) && IsHex(line[i + 3]))
                    {
                        output[o++] = (byte)((HexValue(line[i + 2]) << 4) | HexValue(line[i + 3]));
                        i += 3;
                    }
                    else if (line[i] == (byte)'\\' && i + 1 < line.Length)
                    {
                        i++;
                        output[o++] = line[i] switch
                        {
                            (byte)'n' => (byte)'\n',
                            (byte)'r' => (byte)'\r',
                            (byte)'t' => (byte)'\t',
                            (byte)'b' => (byte)'\b',
                            (byte)'a' => (byte)'\a',
                            _ => line[i],
                        };
                    }
                    else if (line[i] == (byte)'"')
                    {
                        // A closing quote must be followed by a space or the end of the line.
                        if (i + 1 < line.Length && !IsSpace(line[i + 1]))
                        {
                            return false;
                        }

                        done = true;
                    }
                    else
                    {
                        output[o++] = line[i];
                    }
                }
                else if (inSingle)
                {
                    if (i >= line.Length)
                    {
                        return false;
                    }

                    if (line[i] == (byte)'\\' && i + 1 < line.Length && line[i + 1] == (byte)'\'')
                    {
                        i++;
                        output[o++] = (byte)'\'';
                    }
                    else if (line[i] == (byte)'\'')
                    {
                        if (i + 1 < line.Length && !IsSpace(line[i + 1]))
                        {
                            return false;
                        }

                        done = true;
                    }
                    else
                    {
                        output[o++] = line[i];
                    }
                }
                else if (i >= line.Length)
                {
                    done = true;
                }
                else
                {
                    switch (line[i])
                    {
                        case (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or 0:
                            done = true;
                            break;
                        case (byte)'"':
                            inDouble = true;
                            break;
                        case (byte)'\'':
                            inSingle = true;
                            break;
                        default:
                            output[o++] = line[i];
                            break;
                    }
                }

                if (i < line.Length)
                {
                    i++;
                }
            }

            spans.Add((start, o - start));
        }
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
