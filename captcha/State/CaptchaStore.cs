using System.Text.Json;
using StackExchange.Redis;

namespace RedisRing.Captcha.State;

/// <summary>
/// Challenge and pass-token state in Redis. Taking a challenge or a token is a single GETDEL,
/// so of two concurrent answers exactly one sees the record: the "once" is Redis's atomicity,
/// not a lock of ours.
/// </summary>
internal sealed class CaptchaStore(IConnectionMultiplexer redis)
{
    private IDatabase Db => redis.GetDatabase();

    public Task SaveChallengeAsync(string challengeId, ChallengeRecord record, TimeSpan ttl) =>
        Guard(() => Db.StringSetAsync(RedisKeys.Challenge(challengeId), JsonSerializer.SerializeToUtf8Bytes(record, StateJsonContext.Default.ChallengeRecord), ttl));

    public Task<ChallengeRecord?> TakeChallengeAsync(string challengeId) =>
        Guard(async () => Deserialize(await Db.StringGetDeleteAsync(RedisKeys.Challenge(challengeId)), StateJsonContext.Default.ChallengeRecord));

    public Task SavePassAsync(string siteKey, string tokenId, PassRecord record, TimeSpan ttl) =>
        Guard(() => Db.StringSetAsync(RedisKeys.Pass(siteKey, tokenId), JsonSerializer.SerializeToUtf8Bytes(record, StateJsonContext.Default.PassRecord), ttl));

    public Task<PassRecord?> TakePassAsync(string siteKey, string tokenId) =>
        Guard(async () => Deserialize(await Db.StringGetDeleteAsync(RedisKeys.Pass(siteKey, tokenId)), StateJsonContext.Default.PassRecord));

    /// <summary>Claims an idempotency key (SET NX); false when another call already claimed it.</summary>
    public Task<bool> TryClaimIdempotencyAsync(string key, TimeSpan ttl) =>
        Guard(() => Db.StringSetAsync(key, IdempotencyPending, ttl, When.NotExists));

    public Task SaveIdempotentAnswerAsync(string key, byte[] answer, TimeSpan ttl) =>
        Guard(() => Db.StringSetAsync(key, answer, ttl));

    /// <summary>The stored answer, or null while the claiming call is still working (or the key vanished).</summary>
    public Task<byte[]?> GetIdempotentAnswerAsync(string key) =>
        Guard(async () =>
        {
            var value = await Db.StringGetAsync(key);
            return value.IsNull || value == IdempotencyPending ? null : (byte[]?)value;
        });

    /// <summary>Adds one to a fixed-window counter and returns the new count.</summary>
    public Task<long> IncrementAsync(string key, TimeSpan window) =>
        Guard(async () => (long)await Db.ScriptEvaluateAsync(CounterScripts.Increment, [key], [(long)window.TotalMilliseconds]));

    /// <summary>
    /// Adds one to a fixed-window counter and reads another counter in the same script (one
    /// round trip, one command through the proxy); the keys must share a hash tag.
    /// </summary>
    public Task<(long Count, long Other)> IncrementAndReadAsync(string key, TimeSpan window, string otherKey) =>
        Guard(async () =>
        {
            var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(CounterScripts.IncrementAndRead, [key, otherKey], [(long)window.TotalMilliseconds]))!;
            return ((long)reply[0], (long)reply[1]);
        });

    public Task<TimeSpan> PingAsync() => Guard(() => Db.PingAsync());

    private const string IdempotencyPending = "\u0000pending";

    private static T? Deserialize<T>(RedisValue value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class =>
        value.IsNull ? null : JsonSerializer.Deserialize((ReadOnlySpan<byte>)(byte[])value!, type);

    private static async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or ObjectDisposedException)
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
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or ObjectDisposedException)
        {
            throw new StoreUnavailableException(e);
        }
    }
}
