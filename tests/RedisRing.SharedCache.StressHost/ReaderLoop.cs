using System.Diagnostics;
using RedisRing.SharedCache.Reading;

namespace RedisRing.SharedCache.StressHost;

/// <summary>
/// Reads random keys as fast as it can and checks every value it gets. A stable key must always be
/// found; any value must carry an intact checksum for its own key. Prints one summary line and
/// exits 0 only if nothing was torn or missing.
/// </summary>
internal static class ReaderLoop
{
    public static int Run(SharedCacheOptions options, TimeSpan duration)
    {
        // Readers spin on two shared cores: a lower priority lets loaders start and take over
        // promptly, which is what the crash test needs to kill many of them in its time.
        using (var self = Process.GetCurrentProcess())
        {
            self.PriorityClass = ProcessPriorityClass.BelowNormal;
        }

        var clock = Stopwatch.StartNew();
        SharedCacheReader? reader = null;
        while (reader is null)
        {
            try
            {
                reader = SharedCacheReader.Open(options);
            }
            catch (FileNotFoundException) when (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(5);
            }
        }

        using (reader)
        {
            Console.WriteLine("reader: ready");
            var random = new Random();
            var buffer = new byte[1 << 16];
            long reads = 0, found = 0, torn = 0, missing = 0, unavailable = 0;
            var firstFileGeneration = reader.GetMetrics().FileGeneration;
            while (clock.Elapsed < duration)
            {
                var stable = random.Next(3) != 0;
                var key = stable ? Keys.StableKey(random.Next(Keys.Stable)) : Keys.VolatileKey(random.Next(Keys.Volatile));
                var status = reader.TryGet(key, buffer, out var length);
                reads++;
                switch (status)
                {
                    case LookupStatus.Found:
                        found++;
                        if (!SelfCheckedValue.IsIntact(key, buffer.AsSpan(0, length)))
                        {
                            torn++;
                        }

                        break;
                    case LookupStatus.NotFound when stable:
                        missing++;
                        break;
                    case LookupStatus.Unavailable or LookupStatus.BufferTooSmall:
                        unavailable++;
                        break;
                }
            }

            var metrics = reader.GetMetrics();
            Console.WriteLine($"reader: reads={reads} found={found} torn={torn} missing={missing} unavailable={unavailable} retries={metrics.Retries} firstFileGeneration={firstFileGeneration} lastFileGeneration={metrics.FileGeneration} generation={metrics.Generation}");
            return torn == 0 && missing == 0 && unavailable == 0 ? 0 : 1;
        }
    }
}
