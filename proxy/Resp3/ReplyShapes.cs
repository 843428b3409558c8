using System.Collections.Frozen;
using RedisRing.Proxy.Commands;
using RedisRing.Resp;

namespace RedisRing.Proxy.Resp3;

/// <summary>
/// Which <see cref="ReplyShape"/> a command's reply takes for a RESP3 client, by hand from Redis
/// 7.0's sources (its command JSON files have no reply schema before 7.2). Commands not listed
/// keep their RESP2 structure, with nulls as <c>_</c>; docs/protocol.md ("RESP3") lists both.
/// </summary>
internal static class ReplyShapes
{
    private static readonly FrozenDictionary<string, ReplyShape> s_fixed = new Dictionary<string, ReplyShape>(StringComparer.Ordinal)
    {
        ["HGETALL"] = ReplyShape.Map,
        ["CONFIG|GET"] = ReplyShape.Map,
        ["HELLO"] = ReplyShape.Map,
        ["XINFO|STREAM"] = ReplyShape.Map,
        ["COMMAND|DOCS"] = ReplyShape.Map,
        ["XINFO|GROUPS"] = ReplyShape.ArrayOfMaps,
        ["XINFO|CONSUMERS"] = ReplyShape.ArrayOfMaps,
        ["XREAD"] = ReplyShape.PairsToMap,
        ["XREADGROUP"] = ReplyShape.PairsToMap,
        ["SMEMBERS"] = ReplyShape.Set,
        ["SINTER"] = ReplyShape.Set,
        ["SUNION"] = ReplyShape.Set,
        ["SDIFF"] = ReplyShape.Set,
        ["ZSCORE"] = ReplyShape.Double,
        ["ZINCRBY"] = ReplyShape.Double,
        ["ZMSCORE"] = ReplyShape.DoubleArray,
        ["GEOPOS"] = ReplyShape.Positions,
        ["INFO"] = ReplyShape.Verbatim,
        ["CLIENT|INFO"] = ReplyShape.Verbatim,
        ["CLIENT|LIST"] = ReplyShape.Verbatim,
        ["LOLWUT"] = ReplyShape.Verbatim,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> s_withScores = FrozenSet.Create(StringComparer.Ordinal,
        "ZRANGE", "ZRANGEBYSCORE", "ZREVRANGE", "ZREVRANGEBYSCORE", "ZUNION", "ZINTER", "ZDIFF", "ZRANDMEMBER");

    public static ReplyShape For(CommandInfo info, RequestFrame frame)
    {
        if (s_fixed.TryGetValue(info.Name, out var shape))
        {
            return shape;
        }

        switch (info.Name)
        {
            case "SPOP":
                return frame.Count > 2 ? ReplyShape.Set : ReplyShape.Plain;
            case "ZPOPMIN" or "ZPOPMAX":
                return frame.Count > 2 ? ReplyShape.ScorePairs : ReplyShape.MemberScore;
            case "ZADD":
                return Has(frame, 2, "INCR"u8) ? ReplyShape.Double : ReplyShape.Plain;
            case "HRANDFIELD":
                return Has(frame, 3, "WITHVALUES"u8) ? ReplyShape.FieldValuePairs : ReplyShape.Plain;
            default:
                return s_withScores.Contains(info.Name) && Has(frame, 2, "WITHSCORES"u8) ? ReplyShape.ScorePairs : ReplyShape.Plain;
        }
    }

    private static bool Has(RequestFrame frame, int from, ReadOnlySpan<byte> word)
    {
        for (var i = from; i < frame.Count; i++)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(frame[i], word))
            {
                return true;
            }
        }

        return false;
    }
}
