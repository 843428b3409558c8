using StackExchange.Redis;

namespace RedisRing.Captcha.State;

/// <summary>
/// Challenge and pass-token state in Redis. Taking a challenge or a token is a GETDEL (or a GET
/// and DEL) inside one script, so of two concurrent answers exactly one sees the record: the
/// "once" is Redis's atomicity, not a lock of ours.
/// </summary>
internal sealed class CaptchaStore(IConnectionMultiplexer redis)
{
    private IDatabase Db => redis.GetDatabase();

    public Task SaveChallengeAsync(string challengeId, ChallengeRecord record, TimeSpan ttl, TimeSpan passTtl) =>
        Guard(() => Db.StringSetAsync(RedisKeys.Challenge(challengeId), StoredChallenge.Encode(record, passTtl), ttl));

    /// <summary>
    /// Takes the challenge out of Redis and, in the same script, writes the pass <paramref name="tokenId"/>
    /// would redeem (see <see cref="AnswerScript"/>); null when the challenge is gone. The caller
    /// must <see cref="DeletePassAsync"/> it unless the answer passes.
    /// </summary>
    public Task<ChallengeRecord?> TakeChallengeAsync(string challengeId, string tokenId, long solvedAtMs) =>
        Guard(async () =>
        {
            var value = await Db.ScriptEvaluateAsync(AnswerScript.Answer, [RedisKeys.Challenge(challengeId), RedisKeys.Pass(tokenId)], [solvedAtMs]);
            return value.IsNull ? null : StoredChallenge.DecodeChallenge((byte[])value!);
        });

    public Task DeletePassAsync(string tokenId) =>
        Guard(() => Db.KeyDeleteAsync(RedisKeys.Pass(tokenId)));

    /// <summary>Takes a pass once, and only for the site it was earned on (one script, see <see cref="AnswerScript.TakePass"/>).</summary>
    public Task<PassRecord?> TakePassAsync(string siteKey, string tokenId) =>
        Guard(async () =>
        {
            var value = await Db.ScriptEvaluateAsync(AnswerScript.TakePass, [RedisKeys.Pass(tokenId)], [siteKey]);
            return value.IsNull ? null : StoredChallenge.DecodePass((byte[])value!);
        });

    /// <summary>Claims an idempotency key (SET NX) with an <see cref="IdempotencyRecord"/>; false when another call already claimed it.</summary>
    public Task<bool> TryClaimIdempotencyAsync(string key, byte[] pending, TimeSpan ttl) =>
        Guard(() => Db.StringSetAsync(key, pending, ttl, When.NotExists));

    public Task SaveIdempotentAnswerAsync(string key, byte[] answered, TimeSpan ttl) =>
        Guard(() => Db.StringSetAsync(key, answered, ttl));

    /// <summary>The <see cref="IdempotencyRecord"/> under a key, or null when there is none (it expired).</summary>
    public Task<byte[]?> GetIdempotencyAsync(string key) =>
        Guard(async () => (byte[]?)await Db.StringGetAsync(key));

    /// <summary>Adds one to a fixed-window counter and returns the new count.</summary>
    public Task<long> IncrementAsync(string key, TimeSpan window) =>
        Guard(async () => (long)await Db.ScriptEvaluateAsync(CounterScripts.Increment, [key], [(long)window.TotalMilliseconds]));

    /// <summary>Runs <see cref="CounterScripts.Challenge"/>: one command for all of a challenge's limits.</summary>
    public Task<(long Client, long Site, long Failures)> CountChallengeAsync(string clientKey, string siteKey, TimeSpan window, string failuresKey, long clientLimit, long failureLimit) =>
        Guard(async () =>
        {
            var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(CounterScripts.Challenge, [clientKey, siteKey, failuresKey], [(long)window.TotalMilliseconds, clientLimit, failureLimit]))!;
            return ((long)reply[0], (long)reply[1], (long)reply[2]);
        });

    /// <summary>
    /// A real keyed write and read (<see cref="RedisKeys.Health"/>, a few seconds of TTL): PING
    /// would be answered by the proxy itself even with every node behind it down. True when the
    /// value read back is the one written.
    /// </summary>
    public Task<bool> CheckWriteAndReadAsync(string key, string value, TimeSpan ttl) =>
        Guard(async () =>
        {
            await Db.StringSetAsync(key, value, ttl);
            return await Db.StringGetAsync(key) == value;
        });

    private static async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (StoreErrors.MeansUnavailable(e))
        {
            throw new StoreUnavailableException(e);
        }
    }

    private static async Task Guard(Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (Exception e) when (StoreErrors.MeansUnavailable(e))
        {
            throw new StoreUnavailableException(e);
        }
    }
}
