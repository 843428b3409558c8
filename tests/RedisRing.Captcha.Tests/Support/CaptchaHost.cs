using System.Globalization;
using Microsoft.AspNetCore.Builder;
using RedisRing.Captcha.Hosting;
using RedisRing.Testing;

namespace RedisRing.Captcha.Tests.Support;

/// <summary>
/// The real captcha service (Kestrel on a free loopback port) running inside the test process,
/// pointed at a real Redis endpoint (a redis-server, or the RedisRing proxy) and the test sites.
/// </summary>
internal sealed class CaptchaHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _settingsDirectory;

    private CaptchaHost(WebApplication app, int port, string settingsDirectory)
    {
        _app = app;
        _settingsDirectory = settingsDirectory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add("Origin", TestSites.Origin);
    }

    public Uri BaseAddress { get; }

    /// <summary>A client that presents itself as a page on app.example (the test sites' allowed host).</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<CaptchaHost> StartAsync(string redisEndpoint, params string[] extraArguments)
    {
        var directory = Path.Combine(Path.GetTempPath(), "redisring-tests", "captcha-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var port = LoopbackPorts.GetFree();
        var arguments = new List<string>
        {
            "--urls", "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "--Redis:Configuration", redisEndpoint,
            "--Settings:JsonPath", TestSites.WriteSettingsFile(directory),
            "--Logging:LogLevel:Default", "Warning",
            "--Logging:Console:FormatterName", "simple",
            // A small pool still exercises pre-rendering without spending the test run's CPU on it.
            "--Images:PoolSize", "4",
        };
        arguments.AddRange(TestSites.SigningKeyArguments);
        arguments.AddRange(extraArguments);
        var app = CaptchaApplication.Build([.. arguments]);
        await app.StartAsync();
        return new CaptchaHost(app, port, directory);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_settingsDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
