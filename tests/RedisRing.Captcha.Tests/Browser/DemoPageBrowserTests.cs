using Microsoft.Playwright;
using RedisRing.Captcha.Tests.Support;
using Xunit.Abstractions;

namespace RedisRing.Captcha.Tests.Browser;

/// <summary>
/// The demo site in headless Chromium: the widget loads a puzzle, a person-like drag solves it,
/// and the demo backend's siteverify call accepts the form; a drag to the wrong place is refused.
/// </summary>
public sealed class DemoPageBrowserTests(DemoSiteFixture site, ITestOutputHelper output) : IClassFixture<DemoSiteFixture>
{
    [Fact]
    public async Task Dragging_the_piece_into_the_notch_solves_the_captcha_and_the_site_accepts_the_form()
    {
        var page = await OpenDemoAsync();
        var x = await SecretXAsync(page);

        await DragAsync(page, x);

        await page.WaitForSelectorAsync(".rrc[data-state='solved']", new() { Timeout = 10_000 });
        var token = await page.InputValueAsync("input[name='rr-captcha-response']");
        Assert.StartsWith("demo-site.", token, StringComparison.Ordinal);
        await page.ClickAsync("#submit");
        var result = await page.WaitForSelectorAsync("#result", new() { Timeout = 10_000 });
        Assert.Equal("accepted", await result!.GetAttributeAsync("data-result"));
    }

    [Fact]
    public async Task Dragging_the_piece_to_the_wrong_place_is_refused_and_so_is_the_form()
    {
        var page = await OpenDemoAsync();
        var x = await SecretXAsync(page);

        await DragAsync(page, x > 0.4 ? x - 0.25 : x + 0.25);

        await page.WaitForSelectorAsync(".rrc[data-state='failed']", new() { Timeout = 10_000 });
        Assert.Equal(string.Empty, await page.InputValueAsync("input[name='rr-captcha-response']"));
        await page.ClickAsync("#submit");
        var result = await page.WaitForSelectorAsync("#result", new() { Timeout = 10_000 });
        Assert.Equal("refused", await result!.GetAttributeAsync("data-result"));
    }

    [Fact]
    public async Task The_piece_can_be_moved_with_the_arrow_keys_and_submitted_with_enter()
    {
        var page = await OpenDemoAsync();
        var x = await SecretXAsync(page);
        await page.FocusAsync(".rrc-handle");
        await Task.Delay(700);

        // Shift+arrow moves 5% of the width, a plain arrow 1%, at a person's typing pace.
        var coarse = (int)(x / 0.05);
        var fine = (int)Math.Round((x - (coarse * 0.05)) / 0.01);
        for (var i = 0; i < coarse + fine; i++)
        {
            await page.Keyboard.PressAsync(i < coarse ? "Shift+ArrowRight" : "ArrowRight");
            await Task.Delay(40 + (i * 7 % 50));
        }

        // The slider reports its position to assistive technology (percent of its range).
        var expectedPercent = (coarse * 0.05 + fine * 0.01) / ((320.0 - 48) / 320) * 100;
        var reported = double.Parse(await page.GetAttributeAsync(".rrc-handle", "aria-valuenow") ?? "-1", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(reported, expectedPercent - 1, expectedPercent + 1);
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForSelectorAsync(".rrc[data-state='solved']", new() { Timeout = 10_000 });
        await page.ClickAsync("#submit");
        var result = await page.WaitForSelectorAsync("#result", new() { Timeout = 10_000 });
        Assert.Equal("accepted", await result!.GetAttributeAsync("data-result"));
    }

    private async Task<IPage> OpenDemoAsync()
    {
        var page = await site.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 800, Height = 700 } });
        page.Console += (_, message) => output.WriteLine("browser console: " + message.Text);
        await page.GotoAsync(new Uri(site.Host.BaseAddress, "/demo/").ToString());
        await page.WaitForSelectorAsync(".rrc[data-state='ready']", new() { Timeout = 15_000 });
        return page;
    }

    /// <summary>The secret position, read from Redis: the one thing a real user sees instead.</summary>
    private async Task<double> SecretXAsync(IPage page)
    {
        var challengeId = await page.GetAttributeAsync(".rrc", "data-challenge-id");
        var client = new CaptchaClient(site.Host.Http, async key => RawReply.BulkString(await site.Redis.CommandAsync("GET", key)));
        return await client.SecretXAsync(challengeId!);
    }

    /// <summary>
    /// Drags the handle by <paramref name="offset"/> of the image width the way a hand does: fast
    /// at first, then slowing to line the piece up, with a little vertical wobble and uneven timing.
    /// </summary>
    private static async Task DragAsync(IPage page, double offset)
    {
        var handle = (await page.QuerySelectorAsync(".rrc-handle"))!;
        var box = (await handle.BoundingBoxAsync())!;
        var stage = (await (await page.QuerySelectorAsync(".rrc-stage"))!.BoundingBoxAsync())!;
        var startX = box.X + (box.Width / 2);
        var startY = box.Y + (box.Height / 2);
        var distance = offset * stage.Width;
        var random = new Random(11);

        // The service wants some thinking time between showing the puzzle and the answer.
        await Task.Delay(700);
        await page.Mouse.MoveAsync((float)startX, (float)startY);
        await page.Mouse.DownAsync();
        const int Steps = 35;
        for (var i = 1; i <= Steps; i++)
        {
            var p = (double)i / Steps;
            var eased = 1 - Math.Pow(1 - p, 3);
            var y = startY + (3 * Math.Sin(p * 4)) + random.NextDouble();
            await page.Mouse.MoveAsync((float)(startX + (distance * eased)), (float)y);
            await Task.Delay(12 + random.Next(14));
        }

        await page.Mouse.MoveAsync((float)(startX + distance), (float)(startY + 2));
        await Task.Delay(60);
        await page.Mouse.UpAsync();
    }
}
