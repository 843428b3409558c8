using RedisRing.Testing;

namespace RedisRing.Captcha.Tests.Support;

/// <summary>
/// Class fixture: a whole local RedisRing (three real redis-servers behind the real proxy, two
/// copies of every key) and the captcha service talking to it through the proxy, shared by the
/// tests of one class (each test uses its own challenges, so they do not interfere).
/// </summary>
public sealed class RedisBackedCaptcha : IAsyncLifetime
{
    private RedisRingCluster? _cluster;
    private CaptchaHost? _host;

    internal RedisRingCluster Cluster => _cluster!;

    /// <summary>The endpoint the service uses: the proxy.</summary>
    internal string RedisEndpoint => Cluster.ProxyEndpoint;

    internal CaptchaHost Host => _host!;

    internal CaptchaClient Client => new(Host.Http, ReadKeyAsync);

    public async Task InitializeAsync()
    {
        _cluster = await RedisRingCluster.StartAsync(null);
        _host = await CaptchaHost.StartAsync(_cluster.ProxyEndpoint);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>Reads a key through the proxy with the raw test client (not the service's own client).</summary>
    internal async Task<string?> ReadKeyAsync(string key) => RawReply.BulkString(await RawRedis.CommandAsync(Cluster.ProxyPort, "GET", key));
}
