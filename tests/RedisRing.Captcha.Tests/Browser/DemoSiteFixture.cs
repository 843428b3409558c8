using Microsoft.Playwright;
using RedisRing.Captcha.Tests.Support;
using RedisRing.Testing;

namespace RedisRing.Captcha.Tests.Browser;

/// <summary>One redis-server, the service with its embedded demo site, and one headless Chromium, shared by a class.</summary>
public sealed class DemoSiteFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    internal RedisServer Redis { get; private set; } = null!;

    internal CaptchaHost Host { get; private set; } = null!;

    internal IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        // An empty JsonPath selects the embedded default settings: the demo site.
        Host = await CaptchaHost.StartAsync(Redis.Endpoint, "--Settings:JsonPath", "");
        (_playwright, var browser) = await SystemChromium.LaunchAsync();
        Browser = browser;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }
}
