using System.Collections.Concurrent;
using RedisRing.Testing;

namespace RedisRing.Proxy.Tests.ZooKeeperMode;

/// <summary>
/// Client load for membership changes: 4 connections spread over the proxies; each writes its own
/// keys (<c>w&lt;writer&gt;-&lt;n&gt;</c>, 300 per writer) and reads each one back at once (a stale or
/// missing read shows), then reads a random preloaded key <c>k&lt;i&gt;</c> that must hold
/// <c>v&lt;i&gt;</c>. Every failed, missing or stale answer is a problem; the last acknowledged value
/// of every written key is kept.
/// </summary>
internal sealed class ReadYourWritesLoad
{
    public const int Writers = 4;
    public const int KeysPerWriter = 300;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private long _reads;

    public ReadYourWritesLoad(IReadOnlyList<ProxyProcess> proxies, int preloadedKeys)
    {
        _workers = [.. Enumerable.Range(0, Writers).Select(w => Task.Run(() => RunAsync(proxies[w % proxies.Count].Port, w, preloadedKeys)))];
    }

    public ConcurrentQueue<string> Problems { get; } = new();

    public ConcurrentDictionary<string, string> Acknowledged { get; } = new();

    public long Reads => Interlocked.Read(ref _reads);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }

    private async Task RunAsync(int port, int writer, int preloadedKeys)
    {
        await using var connection = await RespConnection.ConnectAsync(port);
        var random = new Random(writer);
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            var key = $"w{writer}-{n % KeysPerWriter}";
            var value = "x" + n;
            var set = await connection.CommandAsync("SET", key, value);
            var get = await connection.CommandAsync("GET", key);
            var k = random.Next(preloadedKeys);
            var old = await connection.CommandAsync("GET", "k" + k);
            Interlocked.Add(ref _reads, 2);
            if (set == "+OK\r\n")
            {
                Acknowledged[key] = value;
            }

            if (set != "+OK\r\n" || get != Bulk(value) || old != Bulk("v" + k))
            {
                Problems.Enqueue($"{key}: SET {set.Trim()} GET {get.Trim()}; k{k}: {old.Trim()}");
            }
        }
    }

    private static string Bulk(string value) => $"${value.Length}\r\n{value}\r\n";
}
