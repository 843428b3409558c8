namespace RedisRing.Proxy.Resp3;

/// <summary>
/// How a RESP2 reply becomes the RESP3 reply Redis 7 sends a RESP3 client for the same command.
/// Every shape but <see cref="Resp2"/> also turns nulls (<c>$-1</c>, <c>*-1</c>) into <c>_</c>, at any depth.
/// </summary>
internal enum ReplyShape : byte
{
    /// <summary>A RESP2 client: the reply goes out unchanged.</summary>
    Resp2,

    /// <summary>Same structure; only the nulls change.</summary>
    Plain,

    /// <summary>A flat array of field, value, ... becomes a map (HGETALL, CONFIG GET, HELLO, XINFO STREAM).</summary>
    Map,

    /// <summary>An array becomes a set (SMEMBERS, SINTER, SUNION, SDIFF, SPOP with a count).</summary>
    Set,

    /// <summary>A bulk string holding a number becomes a double (ZSCORE, ZINCRBY, ZADD INCR).</summary>
    Double,

    /// <summary>An array of numbers (or nulls) becomes an array of doubles (ZMSCORE).</summary>
    DoubleArray,

    /// <summary>member, score, ... becomes an array of [member, double] pairs (WITHSCORES, ZPOPMIN/ZPOPMAX with a count).</summary>
    ScorePairs,

    /// <summary>member, score stays flat with the score as a double (ZPOPMIN/ZPOPMAX without a count).</summary>
    MemberScore,

    /// <summary>field, value, ... becomes an array of [field, value] pairs (HRANDFIELD WITHVALUES).</summary>
    FieldValuePairs,

    /// <summary>An array of [key, value] arrays becomes a map of key to value (XREAD, XREADGROUP).</summary>
    PairsToMap,

    /// <summary>An array of flat field/value arrays becomes an array of maps (XINFO GROUPS, XINFO CONSUMERS).</summary>
    ArrayOfMaps,

    /// <summary>Each element, an [x, y] array or null, becomes an array of doubles (GEOPOS).</summary>
    Positions,

    /// <summary>A bulk string of text becomes a verbatim string <c>=N\r\ntxt:...</c> (INFO, CLIENT INFO, CLIENT LIST).</summary>
    Verbatim,
}
