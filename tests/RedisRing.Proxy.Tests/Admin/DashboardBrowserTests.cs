using Microsoft.Playwright;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Admin;

/// <summary>
/// The dashboard in headless Chromium (Debian's, installed by scripts/test.d/captcha.sh, driven by
/// Playwright's .NET driver as the captcha's browser tests are) against a real cluster. With
/// REDISRING_DASHBOARD_SCREENSHOT=path the page is saved there after the kill (docs/dashboard.png).
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const float WaitMs = 20_000;

    [Fact]
    public async Task The_dashboard_renders_the_ring_and_shows_a_killed_node_down_with_its_event_and_no_console_error()
    {
        using var admin = AdminPort.OnFreePort();
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 3, replicas: 2, admin.Arguments);
        using var stopLoad = new CancellationTokenSource();
        var load = LoadAsync(cluster.ProxyPort, stopLoad.Token);
        var (playwright, browser) = await HeadlessChromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            output.WriteLine($"browser console {message.Type}: {message.Text}");
            if (message.Type is "error" or "warning")
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add("page error: " + error);

        await page.GotoAsync($"http://127.0.0.1:{admin.Port}/");

        // Rendered: one card per node, all up, the ring's arcs drawn, the ring serviceable.
        await page.Locator(".card[data-state=up]").Nth(2).WaitForAsync(new LocatorWaitForOptions { Timeout = WaitMs });
        Assert.Equal(3, await page.Locator(".card").CountAsync());
        Assert.True(await page.Locator("#ring path.arc").CountAsync() >= 3);
        Assert.Equal("serviceable", await page.Locator("#health").TextContentAsync());
        foreach (var node in cluster.Nodes)
        {
            Assert.True(await page.Locator($"#ring path.arc[data-node='{node.Endpoint}']").CountAsync() > 0, $"no arc of {node.Endpoint}");
        }

        // A node killed with SIGKILL: its card turns down and the event log shows it.
        var killed = cluster.Nodes[1].Endpoint;
        cluster.Nodes[1].Kill();
        await page.Locator($".card[data-node='{killed}'][data-state=down]").WaitForAsync(new LocatorWaitForOptions { Timeout = WaitMs });
        await page.Locator($"#events li[data-kind=down][data-node='{killed}']").WaitForAsync(new LocatorWaitForOptions { Timeout = WaitMs });
        Assert.Equal(2, await page.Locator(".card[data-state=up]").CountAsync());
        // Two copies per key: one node down leaves every key readable.
        Assert.Equal("serviceable", await page.Locator("#health").TextContentAsync());

        if (Environment.GetEnvironmentVariable("REDISRING_DASHBOARD_SCREENSHOT") is { Length: > 0 } path)
        {
            await Task.Delay(3000);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        }

        await stopLoad.CancelAsync();
        await load;
        Assert.Empty(problems);
    }

    /// <summary>A little traffic, so that the chart and the node cards have figures to show.</summary>
    private static async Task LoadAsync(int port, CancellationToken stop)
    {
        await using var client = await RespConnection.ConnectAsync(port);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            await client.CommandAsync("SET", "dashboard:" + (i % 500), "value");
            await client.CommandAsync("GET", "dashboard:" + (i % 500));
            if (i % 50 == 0)
            {
                await Task.Delay(20, CancellationToken.None);
            }
        }
    }
}
