namespace RedisRing.Captcha.Hosting;

/// <summary>The "Redis" configuration section.</summary>
internal sealed class RedisOptions
{
    /// <summary>A StackExchange.Redis configuration string: the RedisRing proxy's endpoint (or one Redis).</summary>
    public string Configuration { get; set; } = "127.0.0.1:6379";
}
