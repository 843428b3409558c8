namespace RedisRing.Captcha.State;

/// <summary>
/// Takes a challenge (GETDEL: one answer per challenge, whoever comes second finds nothing) and,
/// in the same atomic step, writes the pass that a correct answer earns, before the service has
/// judged the answer. The pass's id is random and known only to the service until it decides the
/// answer passed; a refused answer deletes it. This makes a successful answer one command
/// through the proxy instead of two (GETDEL, then SET): one round trip less for the service,
/// the proxy and each Redis copy. It is deterministic (only stored data and arguments), so every
/// copy that runs it ends in the same state.
/// </summary>
internal static class AnswerScript
{
    /// <summary>KEYS[1] challenge, KEYS[2] pass (same hash tag); ARGV[1] solved-at ms. Returns the challenge's value or nil.</summary>
    public const string Answer = """
        local v = redis.call('GETDEL', KEYS[1])
        if not v then return false end
        local ttl = tonumber(string.match(v, '^(%d+)\n'))
        if ttl and ttl > 0 then redis.call('SET', KEYS[2], v .. '\n' .. ARGV[1], 'PX', ttl) end
        return v
        """;

    /// <summary>
    /// Redeems a pass for one site: KEYS[1] pass; ARGV[1] site key. Returns the pass's value and
    /// deletes it, or nil (and leaves it) when it is missing or belongs to another site.
    /// </summary>
    public const string TakePass = """
        local v = redis.call('GET', KEYS[1])
        if not v or string.match(v, '^%d+\n([^\n]*)\n') ~= ARGV[1] then return false end
        redis.call('DEL', KEYS[1])
        return v
        """;
}
