using StackExchange.Redis;

namespace RedisRing.Repair;

/// <summary>
/// A key's value reduced to its type and a SHA-1 of a canonical form, read in one atomic step on
/// one server. Canonical means equal values give equal digests whatever their encoding or
/// insertion order: hash fields and set members are sorted, sorted sets and lists keep their
/// order, streams list every entry; strings (bitmaps and HyperLogLogs are strings) are hashed as
/// they are. DUMP payloads are not compared: two equal hashes built in another order dump
/// differently. The quick form used by background comparisons reduces a collection of more than
/// 10,000 elements to its size.
/// </summary>
public sealed record KeyDigest(string Type, string Sha1, long TtlMilliseconds)
{
    /// <summary>The key does not exist on the server.</summary>
    public static readonly KeyDigest Missing = new("none", string.Empty, -2);

    /// <summary>
    /// The Lua functions <c>digest(key)</c> (full) and <c>quickDigest(key)</c> (a collection of more
    /// than 10,000 elements reduced to its size) returning <c>{type, sha1, pttl}</c>
    /// (<c>{'none', '', -2}</c> for a missing key); every script that compares copies starts with
    /// them, so the canonical form has one definition. Each part is written as "&lt;length&gt;:&lt;bytes&gt;" so that no separator can
    /// be forged by a value.
    /// </summary>
    public const string DigestFunction = """
        local function digestUpTo(key, largeCollection)
          local t = redis.call('TYPE', key)['ok']
          if t == 'none' then return {'none', '', -2} end
          local parts = {}
          local function add(v) parts[#parts + 1] = #v .. ':' .. v end
          local n = (t == 'hash' and redis.call('HLEN', key)) or (t == 'set' and redis.call('SCARD', key))
            or (t == 'zset' and redis.call('ZCARD', key)) or (t == 'list' and redis.call('LLEN', key))
            or (t == 'stream' and redis.call('XLEN', key)) or 0
          if n > largeCollection then
            -- Sorting a large collection in Lua blocks the server for seconds: a quick digest
            -- (background comparisons) stops at its size; the full one goes on.
            add('elements:' .. n)
            return {t, redis.sha1hex(table.concat(parts)), redis.call('PTTL', key)}
          end
          if t == 'string' then
            add(redis.call('GET', key))
          elseif t == 'hash' then
            local a = redis.call('HGETALL', key)
            local pairs_ = {}
            for i = 1, #a, 2 do pairs_[#pairs_ + 1] = #a[i] .. ':' .. a[i] .. #a[i + 1] .. ':' .. a[i + 1] end
            table.sort(pairs_)
            for _, p in ipairs(pairs_) do parts[#parts + 1] = p end
          elseif t == 'set' then
            local a = redis.call('SMEMBERS', key)
            table.sort(a)
            for _, m in ipairs(a) do add(m) end
          elseif t == 'zset' then
            for _, v in ipairs(redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')) do add(v) end
          elseif t == 'list' then
            for _, v in ipairs(redis.call('LRANGE', key, 0, -1)) do add(v) end
          elseif t == 'stream' then
            for _, e in ipairs(redis.call('XRANGE', key, '-', '+')) do
              add(e[1])
              for _, v in ipairs(e[2]) do add(v) end
            end
          else
            add(redis.call('DUMP', key))
          end
          return {t, redis.sha1hex(table.concat(parts)), redis.call('PTTL', key)}
        end
        local function digest(key) return digestUpTo(key, math.huge) end
        local function quickDigest(key) return digestUpTo(key, 10000) end

        """;

    private const string Script = DigestFunction + "return digest(KEYS[1])";

    /// <summary>
    /// The quick digest of every key in KEYS, in order: one call compares a whole SCAN page. Quick:
    /// a collection of more than 10,000 elements is reduced to its type and size (sorting it in
    /// Lua would block the server for seconds); <see cref="ReadAsync"/> compares it in full.
    /// </summary>
    public const string BatchScript = DigestFunction + """
        local out = {}
        for i, k in ipairs(KEYS) do out[i] = quickDigest(k) end
        return out
        """;

    /// <summary>
    /// Replaces KEYS[1] only if its quick digest is still ARGV[1] (type) and ARGV[2] (sha1), so a write
    /// that reached this copy after it was compared is never overwritten: with the serialized
    /// value ARGV[3] and TTL ARGV[4] (RESTORE ... REPLACE), or deleted when ARGV[3] is empty.
    /// Returns 1 when replaced, 0 when the copy changed meanwhile.
    /// </summary>
    public const string ReplaceIfUnchangedScript = DigestFunction + """
        local d = quickDigest(KEYS[1])
        if d[1] ~= ARGV[1] or d[2] ~= ARGV[2] then return 0 end
        if ARGV[3] == '' then
          redis.call('DEL', KEYS[1])
        else
          redis.call('RESTORE', KEYS[1], ARGV[4], ARGV[3], 'REPLACE')
        end
        return 1
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
