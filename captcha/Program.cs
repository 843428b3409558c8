using RedisRing.Captcha.Hosting;

namespace RedisRing.Captcha;

internal static class Program
{
    private static async Task Main(string[] args)
    {
        await using var app = CaptchaApplication.Build(args);
        await app.RunAsync();
    }
}
