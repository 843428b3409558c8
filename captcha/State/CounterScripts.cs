namespace RedisRing.Captcha.State;

/// <summary>
/// Lua scripts for the rate-limit counters. A script runs atomically, so the increment and the
/// window's expiry are one step (no crash between them can leave a counter that never expires),
/// and it is one command instead of INCR plus EXPIRE: half the work for the proxy and Redis.
/// PEXPIRE NX only sets the TTL when there is none, so the window is not pushed back.
/// </summary>
internal static class CounterScripts
{
    /// <summary>KEYS[1] counter; ARGV[1] window in ms. Returns the new count.</summary>
    public const string Increment = """
        local n = redis.call('INCR', KEYS[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[1], 'NX')
        return n
        """;

    /// <summary>KEYS[1] counter to bump, KEYS[2] counter to read; ARGV[1] window in ms. Returns {count, other}.</summary>
    public const string IncrementAndRead = """
        local n = redis.call('INCR', KEYS[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[1], 'NX')
        return {n, tonumber(redis.call('GET', KEYS[2])) or 0}
        """;
}
