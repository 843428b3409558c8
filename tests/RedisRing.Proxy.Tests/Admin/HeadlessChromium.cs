using Microsoft.Playwright;

namespace RedisRing.Proxy.Tests.Admin;

/// <summary>
/// Debian's chromium (/usr/bin/chromium, installed by scripts/test.d/captcha.sh) launched headless
/// through Playwright's driver, which ships inside the NuGet package: no browser is downloaded.
/// The same launch as the captcha's browser tests (tests/RedisRing.Captcha.Tests/Browser).
/// </summary>
internal static class HeadlessChromium
{
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Timeout = 60_000,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
