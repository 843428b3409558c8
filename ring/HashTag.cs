namespace RedisRing.Ring;

/// <summary>
/// twemproxy's hash tag rule: find the first open character; after it, find the first close
/// character; if there is at least one byte between them, hash only those bytes, otherwise hash
/// the whole key. Later tags are never looked at ("a{}{b}" hashes whole).
/// </summary>
internal static class HashTag
{
    public static ReadOnlySpan<byte> Apply(ReadOnlySpan<byte> key, byte open, byte close)
    {
        var start = key.IndexOf(open);
        if (start < 0)
        {
            return key;
        }

        var length = key[(start + 1)..].IndexOf(close);
        return length > 0 ? key.Slice(start + 1, length) : key;
    }
}
