using RedisRing.Captcha.Hosting;
using RedisRing.Captcha.State;
using RedisRing.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisRing.Captcha.Tests.Support;

/// <summary>
/// A <see cref="CaptchaStore"/> on its own real redis-server, started before each test and
/// stopped after it: the base of the tests of the store's Lua scripts.
/// </summary>
public abstract class StoreOnRedisServer(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisServer _redis = null!;

    private protected IConnectionMultiplexer Connection { get; private set; } = null!;

    private protected CaptchaStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync(output);
        Connection = RedisConnection.Connect(_redis.Endpoint);
        Store = new CaptchaStore(Connection);
    }

    public async Task DisposeAsync()
    {
        await Connection.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
