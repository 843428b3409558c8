namespace RedisRing.Proxy;

internal static class Program
{
    private static int Main() => 0;
}
