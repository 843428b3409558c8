using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace RedisRing.Captcha.Tests.Browser;

/// <summary>
/// The non-visual path in headless Chromium, driven by the keyboard alone: Tab to "Verify without
/// the puzzle", Enter, the widget solves the proof of work in the background and announces
/// progress and the result in its live region, and the demo site's siteverify call accepts the
/// token as an accessible answer. Also checks what assistive technology is told about the slider.
/// </summary>
public sealed class AccessiblePathBrowserTests(DemoSiteFixture site, ITestOutputHelper output) : IClassFixture<DemoSiteFixture>
{
    [Fact]
    public async Task A_keyboard_only_user_verifies_without_the_puzzle_and_the_site_accepts_the_form()
    {
        var page = await site.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 800, Height = 700 } });
        page.Console += (_, message) => output.WriteLine("browser console: " + message.Text);
        string? verifyBody = null;
        page.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/api/v1/verify", StringComparison.Ordinal))
            {
                verifyBody = request.PostData;
            }
        };
        await page.GotoAsync(new Uri(site.Host.BaseAddress, "/demo/").ToString());
        await page.WaitForSelectorAsync(".rrc[data-state='ready']", new() { Timeout = 15_000 });

        // What a screen reader is told about the slider and where announcements come from.
        var handle = page.Locator(".rrc-handle");
        Assert.Equal("slider", await handle.GetAttributeAsync("role"));
        Assert.Equal("0", await handle.GetAttributeAsync("aria-valuemin"));
        Assert.Equal("100", await handle.GetAttributeAsync("aria-valuemax"));
        Assert.Equal("0", await handle.GetAttributeAsync("aria-valuenow"));
        Assert.False(string.IsNullOrWhiteSpace(await handle.GetAttributeAsync("aria-label")));
        Assert.Equal("0", await handle.GetAttributeAsync("tabindex"));
        var status = page.Locator(".rrc-status");
        Assert.Equal("polite", await status.GetAttributeAsync("aria-live"));
        Assert.Equal("status", await status.GetAttributeAsync("role"));

        // Record every announcement of the live region from here on.
        await page.EvaluateAsync("""
            () => {
              window.announced = [];
              const region = document.querySelector('.rrc-status');
              new MutationObserver(() => window.announced.push(region.textContent))
                .observe(region, { childList: true, characterData: true, subtree: true });
            }
            """);

        // Keyboard only, from the top of the page: Tab until the button has the focus.
        var reached = false;
        for (var i = 0; i < 12 && !reached; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<bool>("() => document.activeElement?.classList.contains('rrc-alt') === true");
        }

        Assert.True(reached, "Tab never reached the \"Verify without the puzzle\" button");
        Assert.Equal("Verify without the puzzle", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        Assert.True(await page.Locator(".rrc-alt").IsVisibleAsync());

        var clock = Stopwatch.StartNew();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync(".rrc[data-state='solved']", new() { Timeout = 60_000 });
        var elapsed = clock.Elapsed;

        var announced = await page.EvaluateAsync<string[]>("() => window.announced");
        Assert.Contains(announced, text => text.Contains("Verifying without the puzzle", StringComparison.Ordinal));
        Assert.Contains("Verified", await status.TextContentAsync(), StringComparison.Ordinal);
        using (var sent = JsonDocument.Parse(verifyBody!))
        {
            var nonce = sent.RootElement.GetProperty("nonce").GetInt64();
            var powMs = double.Parse((await page.GetAttributeAsync(".rrc", "data-pow-ms"))!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal("accessible", sent.RootElement.GetProperty("input").GetString());
            Assert.False(sent.RootElement.TryGetProperty("offset", out _));
            output.WriteLine($"proof of work: nonce {nonce} (about {nonce + 1} hashes) in {powMs} ms = {(nonce + 1) / Math.Max(powMs, 1) * 1000:0} hashes/s; Enter to solved {elapsed.TotalMilliseconds:0} ms");
        }

        // The widget hands the focus to the form's button (the demo's callback); Enter submits.
        var token = await page.InputValueAsync("input[name='rr-captcha-response']");
        Assert.StartsWith("demo-site.", token, StringComparison.Ordinal);
        await page.WaitForFunctionAsync("() => document.activeElement?.id === 'submit'", null, new() { Timeout = 5_000 });
        await page.Keyboard.PressAsync("Enter");
        var result = await page.WaitForSelectorAsync("#result", new() { Timeout = 10_000 });
        Assert.Equal("accepted", await result!.GetAttributeAsync("data-result"));
        Assert.Equal("accessible", await result.GetAttributeAsync("data-input"));
        Assert.Equal("0.3", await result.GetAttributeAsync("data-score"));
    }
}
