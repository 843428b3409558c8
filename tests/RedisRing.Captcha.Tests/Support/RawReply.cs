namespace RedisRing.Captcha.Tests.Support;

/// <summary>Decodes the raw RESP text that RedisRing.Testing's raw client returns.</summary>
internal static class RawReply
{
    /// <summary>The value of a bulk-string reply, or null for a nil reply.</summary>
    public static string? BulkString(string raw)
    {
        if (raw.StartsWith("$-1", StringComparison.Ordinal))
        {
            return null;
        }

        if (!raw.StartsWith('$'))
        {
            throw new InvalidOperationException("Not a bulk string reply: " + raw);
        }

        var start = raw.IndexOf("\r\n", StringComparison.Ordinal) + 2;
        return raw[start..^2];
    }
}
