using RedisRing.Resp;

namespace RedisRing.Proxy.Commands;

/// <summary>Finds the argument positions of a command's keys.</summary>
internal static class KeyFinding
{
    /// <summary>Fills <paramref name="keys"/> with key argument indexes; returns an error message or null.</summary>
    public static string? FindKeys(CommandInfo info, RequestFrame frame, List<int> keys)
    {
        keys.Clear();
        var count = frame.Count;
        switch (info.KeyFinder)
        {
            case KeyFinder.Range:
                if (info.FirstKey <= 0)
                {
                    return null;
                }

                var last = info.LastKey < 0 ? count + info.LastKey : info.LastKey;
                for (var i = info.FirstKey; i <= last && i < count; i += Math.Max(info.Step, 1))
                {
                    keys.Add(i);
                }

                return null;
            case KeyFinder.NumKeysAt2:
                return NumKeys(frame, 2, 3, keys);
            case KeyFinder.DestinationThenNumKeysAt2:
                keys.Add(1);
                return NumKeys(frame, 2, 3, keys);
            case KeyFinder.NumKeysAt1:
                return NumKeys(frame, 1, 2, keys);
            case KeyFinder.GeoRadiusStore:
                keys.Add(1);
                for (var i = 2; i < count - 1; i++)
                {
                    if (Is(frame[i], "STORE"u8) || Is(frame[i], "STOREDIST"u8))
                    {
                        keys.Add(i + 1);
                    }
                }

                return null;
            case KeyFinder.Sort:
                keys.Add(1);
                for (var i = 2; i < count - 1; i++)
                {
                    if (Is(frame[i], "STORE"u8))
                    {
                        keys.Add(++i);
                    }
                    else if (Is(frame[i], "BY"u8) && !Is(frame[i + 1], "nosort"u8) || Is(frame[i], "GET"u8) && !Is(frame[i + 1], "#"u8))
                    {
                        return "ERR SORT with BY or GET patterns reads other keys, which RedisRing cannot route; use BY nosort and GET #";
                    }
                    else if (Is(frame[i], "BY"u8) || Is(frame[i], "GET"u8) || Is(frame[i], "LIMIT"u8))
                    {
                        i += Is(frame[i], "LIMIT"u8) ? 2 : 1;
                    }
                }

                return null;
            case KeyFinder.Streams:
                for (var i = 1; i < count; i++)
                {
                    if (Is(frame[i], "STREAMS"u8))
                    {
                        var rest = count - i - 1;
                        if (rest == 0 || rest % 2 != 0)
                        {
                            return "ERR Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be specified.";
                        }

                        for (var k = 0; k < rest / 2; k++)
                        {
                            keys.Add(i + 1 + k);
                        }

                        return null;
                    }
                }

                return "ERR syntax error";
            default:
                return "ERR internal error: unknown key finder";
        }
    }

    private static string? NumKeys(RequestFrame frame, int numKeysIndex, int firstKey, List<int> keys)
    {
        if (numKeysIndex >= frame.Count || !RequestReader.TryParseInt64(frame[numKeysIndex], out var numKeys))
        {
            return "ERR value is not an integer or out of range";
        }

        if (numKeys < 0)
        {
            return "ERR Number of keys can't be negative";
        }

        if (firstKey + numKeys > frame.Count)
        {
            return "ERR Number of keys can't be greater than number of args";
        }

        for (var i = 0; i < numKeys; i++)
        {
            keys.Add(firstKey + i);
        }

        return null;
    }

    private static bool Is(ReadOnlySpan<byte> argument, ReadOnlySpan<byte> word) => System.Text.Ascii.EqualsIgnoreCase(argument, word);
}
