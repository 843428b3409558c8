using System.Diagnostics;
using Xunit.Sdk;

namespace RedisRing.Proxy.Tests.Core;

/// <summary>
/// Bounded polling for what the proxy does on other threads (thread-pool continuations, read
/// loops). The cap is real time and only a safety net: a passing wait takes milliseconds.
/// Never used to let time pass: time passes only through the FakeTimeProvider.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(5);

    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > Cap)
            {
                throw new XunitException($"still waiting after {Cap.TotalSeconds} s for: {what}");
            }

            await Task.Delay(1);
        }
    }

    public static async Task<T> ValueAsync<T>(Func<T?> read, string what)
        where T : class
    {
        T? value = null;
        await TrueAsync(() => (value = read()) is not null, what);
        return value!;
    }
}
