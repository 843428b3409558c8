using System.Diagnostics;
using Xunit.Abstractions;

namespace RedisRing.Testing;

/// <summary>
/// A local RedisRing started by a test: the processes it started or was handed (redis-servers,
/// proxies, registrars...), all stopped on dispose, the last started first, and the proxies' view
/// of the ring. <see cref="RedisRingCluster"/> (a static node list) and
/// <see cref="ZooKeeperRingCluster"/> (membership in ZooKeeper) build on it.
/// </summary>
public abstract class RingCluster : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    protected RingCluster(ITestOutputHelper? output) => Output = output;

    /// <summary>Where the processes' logs go when they are stopped.</summary>
    protected ITestOutputHelper? Output { get; }

    /// <summary>Takes ownership of a process started elsewhere (stopped on dispose).</summary>
    public T Own<T>(T process)
        where T : IAsyncDisposable
    {
        _owned.Add(process);
        return process;
    }

    public async Task<RedisServer> StartRedisAsync(int? port = null) => Own(await RedisServer.StartAsync(Output, port));

    /// <summary>
    /// The proxy's view of the ring from INFO ring: each node's address and membership state,
    /// or null when the proxy did not answer.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>?> RingOfAsync(ProxyProcess proxy)
    {
        string info;
        try
        {
            info = await RawRedis.CommandAsync(proxy.Port, "INFO", "ring");
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return null;
        }

        var nodes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in info.Split("\r\n"))
        {
            if (!line.StartsWith("node", StringComparison.Ordinal) || !line.Contains("address=", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(',')
                .Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
            nodes[fields["address"]] = fields["membership"];
        }

        return nodes;
    }

    /// <summary>Polls the proxy's INFO until its ring satisfies <paramref name="condition"/>; returns how long that took.</summary>
    public static async Task<TimeSpan> WaitForRingAsync(ProxyProcess proxy, Func<IReadOnlyDictionary<string, string>, bool> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        IReadOnlyDictionary<string, string>? last = null;
        while (watch.Elapsed < limit)
        {
            last = await RingOfAsync(proxy);
            if (last is not null && condition(last))
            {
                return watch.Elapsed;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"proxy {proxy.Endpoint}: {what} did not happen within {limit}; ring: {(last is null ? "no answer" : string.Join(", ", last.Select(p => p.Key + "=" + p.Value)))}");
    }

    public virtual async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
