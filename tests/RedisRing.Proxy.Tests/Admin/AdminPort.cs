using System.Globalization;
using RedisRing.Testing;

namespace RedisRing.Proxy.Tests.Admin;

/// <summary>A proxy's admin port as the tests reach it: HTTP on loopback, bounded waits.</summary>
internal sealed class AdminPort : IDisposable
{
    private readonly HttpClient _http;

    public AdminPort(int port)
    {
        Port = port;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public int Port { get; }

    /// <summary>The proxy arguments that turn the port on.</summary>
    public string[] Arguments => ["--admin-listen", "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture)];

    public static AdminPort OnFreePort() => new(LoopbackPorts.GetFree());

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<string> GetStringAsync(string path) => _http.GetStringAsync(path);

    public async Task<Dictionary<string, double>> ScrapeAsync() => PrometheusText.Parse(await GetStringAsync("metrics"));

    /// <summary>Scrapes until <paramref name="done"/> holds, for at most <paramref name="limit"/>; the last scrape either way.</summary>
    public async Task<Dictionary<string, double>> ScrapeUntilAsync(Func<Dictionary<string, double>, bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var samples = await ScrapeAsync();
            if (done(samples) || DateTime.UtcNow > deadline)
            {
                return samples;
            }

            await Task.Delay(100);
        }
    }

    public void Dispose() => _http.Dispose();
}
