using Microsoft.Playwright;
using Xunit.Abstractions;

namespace RedisRing.Captcha.Tests.Browser;

/// <summary>
/// The widget between puzzles, in headless Chromium with the challenge request held back or
/// failed by Playwright's request routing (the service itself is real): while a puzzle loads the
/// widget says so and its controls are marked inactive, a press of "Verify without the puzzle"
/// meanwhile is carried out once the puzzle is there, and a failed load offers a retry that works.
/// </summary>
public sealed class WidgetLoadingBrowserTests(DemoSiteFixture site, ITestOutputHelper output) : IClassFixture<DemoSiteFixture>
{
    private const string ChallengeUrl = "**/api/v1/challenge";

    [Fact]
    public async Task While_a_puzzle_loads_the_widget_is_busy_and_a_press_of_verify_without_the_puzzle_is_carried_out_once_it_is_ready()
    {
        var page = await OpenDemoAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(ChallengeUrl, async route =>
        {
            held.TrySetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await route.ContinueAsync();
        });

        await page.ClickAsync(".rrc-refresh");
        await held.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var widget = page.Locator(".rrc");
        Assert.Equal("loading", await widget.GetAttributeAsync("data-state"));
        Assert.Equal("true", await widget.GetAttributeAsync("aria-busy"));
        Assert.Contains("Loading", await page.Locator(".rrc-status").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("true", await page.Locator(".rrc-handle").GetAttributeAsync("aria-disabled"));
        var alt = page.Locator(".rrc-alt");
        Assert.True(await alt.IsVisibleAsync());
        Assert.Equal("true", await alt.GetAttributeAsync("aria-disabled"));

        // Pressed while loading: acknowledged, not lost.
        await alt.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Contains("as soon as it is ready", await page.Locator(".rrc-status").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("loading", await widget.GetAttributeAsync("data-state"));

        release.SetResult();
        await page.WaitForSelectorAsync(".rrc[data-state='solved']", new() { Timeout = 60_000 });
        Assert.Null(await widget.GetAttributeAsync("aria-busy"));
        Assert.Null(await page.Locator(".rrc-handle").GetAttributeAsync("aria-disabled"));
        Assert.StartsWith("demo-site.", await page.InputValueAsync("input[name='rr-captcha-response']"), StringComparison.Ordinal);
        await page.ClickAsync("#submit");
        var result = await page.WaitForSelectorAsync("#result", new() { Timeout = 10_000 });
        Assert.Equal("accepted", await result!.GetAttributeAsync("data-result"));
    }

    [Fact]
    public async Task A_puzzle_that_fails_to_load_shows_an_error_with_a_retry_that_loads_a_new_one()
    {
        var page = await OpenDemoAsync();
        await page.RouteAsync(ChallengeUrl, route => route.AbortAsync("connectionrefused"));
        var retry = page.Locator(".rrc-retry");
        Assert.False(await retry.IsVisibleAsync());

        await page.ClickAsync(".rrc-refresh");

        await page.WaitForSelectorAsync(".rrc[data-state='error']", new() { Timeout = 10_000 });
        Assert.True(await retry.IsVisibleAsync());
        Assert.Contains("could not be loaded", await page.Locator(".rrc-status").TextContentAsync(), StringComparison.Ordinal);
        Assert.Null(await page.Locator(".rrc").GetAttributeAsync("aria-busy"));
        var failedId = await page.Locator(".rrc").GetAttributeAsync("data-challenge-id");

        await page.UnrouteAsync(ChallengeUrl);
        await retry.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForSelectorAsync(".rrc[data-state='ready']", new() { Timeout = 15_000 });
        Assert.False(await retry.IsVisibleAsync());
        Assert.NotEqual(failedId, await page.Locator(".rrc").GetAttributeAsync("data-challenge-id"));
    }

    private async Task<IPage> OpenDemoAsync()
    {
        var page = await site.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 800, Height = 700 } });
        page.Console += (_, message) => output.WriteLine("browser console: " + message.Text);
        await page.GotoAsync(new Uri(site.Host.BaseAddress, "/demo/").ToString());
        await page.WaitForSelectorAsync(".rrc[data-state='ready']", new() { Timeout = 15_000 });
        return page;
    }
}
