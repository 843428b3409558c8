using StackExchange.Redis;

namespace RedisRing.Repair;

/// <summary>
/// A key's value reduced to its type and a SHA-1 of a canonical form, read in one atomic step on
/// one server. Canonical means equal values give equal digests whatever their encoding or
/// insertion order: hash fields and set members are sorted, sorted sets and lists keep their
/// order, streams list every entry; strings (bitmaps and HyperLogLogs are strings) are hashed as
/// they are. DUMP payloads are not compared: two equal hashes built in another order dump
/// differently.
/// </summary>
public sealed record KeyDigest(string Type, string Sha1, long TtlMilliseconds)
{
    /// <summary>The key does not exist on the server.</summary>
    public static readonly KeyDigest Missing = new("none", string.Empty, -2);

    // Each part is written as "<length>:<bytes>" so that no separator can be forged by a value.
    private const string Script = """
        local t = redis.call('TYPE', KEYS[1])['ok']
        if t == 'none' then return {'none', '', -2} end
        local parts = {}
        local function add(v) parts[#parts + 1] = #v .. ':' .. v end
        if t == 'string' then
          add(redis.call('GET', KEYS[1]))
        elseif t == 'hash' then
          local a = redis.call('HGETALL', KEYS[1])
          local pairs_ = {}
          for i = 1, #a, 2 do pairs_[#pairs_ + 1] = #a[i] .. ':' .. a[i] .. #a[i + 1] .. ':' .. a[i + 1] end
          table.sort(pairs_)
          for _, p in ipairs(pairs_) do parts[#parts + 1] = p end
        elseif t == 'set' then
          local a = redis.call('SMEMBERS', KEYS[1])
          table.sort(a)
          for _, m in ipairs(a) do add(m) end
        elseif t == 'zset' then
          for _, v in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')) do add(v) end
        elseif t == 'list' then
          for _, v in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do add(v) end
        elseif t == 'stream' then
          for _, e in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do
            add(e[1])
            for _, v in ipairs(e[2]) do add(v) end
          end
        else
          add(redis.call('DUMP', KEYS[1]))
        end
        return {t, redis.sha1hex(table.concat(parts)), redis.call('PTTL', KEYS[1])}
        """;

    /// <summary>Reads the digest of <paramref name="key"/> on <paramref name="database"/>.</summary>
    public static async Task<KeyDigest> ReadAsync(IDatabaseAsync database, RedisKey key)
    {
        ArgumentNullException.ThrowIfNull(database);
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(Script, [key]).ConfigureAwait(false))!;
        return (string)result[0]! == "none" ? Missing : new KeyDigest((string)result[0]!, (string)result[1]!, (long)result[2]);
    }

    /// <summary>
    /// Same value, and the same kind of lifetime: both without a TTL, or both with one within
    /// <paramref name="ttlTolerance"/> (copies apply relative TTLs at slightly different moments).
    /// </summary>
    public bool SameAs(KeyDigest other, TimeSpan ttlTolerance)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Type != other.Type || Sha1 != other.Sha1)
        {
            return false;
        }

        if ((TtlMilliseconds < 0) != (other.TtlMilliseconds < 0))
        {
            return false;
        }

        return TtlMilliseconds < 0 || Math.Abs(TtlMilliseconds - other.TtlMilliseconds) <= ttlTolerance.TotalMilliseconds;
    }
}
