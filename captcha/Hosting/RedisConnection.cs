using StackExchange.Redis;

namespace RedisRing.Captcha.Hosting;

/// <summary>Creates the one multiplexer the service shares, set up to talk to the RedisRing proxy.</summary>
internal static class RedisConnection
{
    public static IConnectionMultiplexer Connect(string configuration, TextWriter? log = null)
    {
        var options = ConfigurationOptions.Parse(configuration);
        // Start even while Redis (or the proxy) is down; requests then get a 503 until it is back.
        options.AbortOnConnectFail = false;
        // The proxy refuses pub/sub and cluster commands: no configuration-change channel, no
        // tie-breaker key, and never ask for them.
        options.ConfigurationChannel = string.Empty;
        options.TieBreaker = string.Empty;
        options.CommandMap = CommandMap.Create(new HashSet<string> { "SUBSCRIBE", "PSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "CLUSTER" }, available: false);
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 3000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 3000);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 3000);
        options.ClientName ??= "redisring-captcha";
        return ConnectionMultiplexer.Connect(options, log);
    }
}
