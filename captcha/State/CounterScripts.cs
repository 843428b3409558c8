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

    /// <summary>
    /// The checks of one challenge: KEYS[1] the client's minute counter, KEYS[2] the site's,
    /// KEYS[3] the client's failures this hour; ARGV[1] window in ms, ARGV[2] the client's limit
    /// per window, ARGV[3] its failure limit. A request refused by a client's own limits stops
    /// before the site's counter: otherwise one client hammering away (or every client behind one
    /// address) would use up the whole site's limit and lock everyone else out. Returns {client
    /// count, site count (0 when not counted), failures}.
    /// </summary>
    public const string Challenge = """
        local failures = tonumber(redis.call('GET', KEYS[3])) or 0
        if failures >= tonumber(ARGV[3]) then return {0, 0, failures} end
        local client = redis.call('INCR', KEYS[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[1], 'NX')
        if client > tonumber(ARGV[2]) then return {client, 0, failures} end
        local site = redis.call('INCR', KEYS[2])
        redis.call('PEXPIRE', KEYS[2], ARGV[1], 'NX')
        return {client, site, failures}
        """;
}
