using RedisRing.Testing;

namespace RedisRing.Captcha.Tests.Support;

/// <summary>
/// Class fixture: one real redis-server and the captcha service in front of it, shared by the
/// tests of one class (each test uses its own challenges, so they do not interfere).
/// </summary>
public sealed class RedisBackedCaptcha : IAsyncLifetime
{
    private RedisServer? _redis;
    private CaptchaHost? _host;

    internal RedisServer Redis => _redis!;

    internal CaptchaHost Host => _host!;

    internal CaptchaClient Client => new(Host.Http, ReadKeyAsync);

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _host = await CaptchaHost.StartAsync(_redis.Endpoint);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    internal async Task<string?> ReadKeyAsync(string key) => RawReply.BulkString(await Redis.CommandAsync("GET", key));

}
