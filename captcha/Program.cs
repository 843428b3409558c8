namespace RedisRing.Captcha;

internal static class Program
{
    private static void Main() { }
}
