using System.Diagnostics;
using RedisRing.SharedCache.Writing;

namespace RedisRing.SharedCache.StressHost;

/// <summary>
/// A loader that never rests: a full batch at start, then incremental batches (upserts of stable and
/// volatile keys, deletes of volatile keys) with a full batch now and then, until the time is up or
/// it is killed. Sizes vary from tens of bytes to a few KiB so blocks of many orders are split,
/// freed, coalesced and reused, and the file grows while readers read.
/// </summary>
internal static class LoaderLoop
{
    public static int Run(SharedCacheOptions options, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        SharedCacheWriter? writer;
        while ((writer = SharedCacheWriter.TryAcquire(options)) is null)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                Console.WriteLine("loader: lock not released within 30 s");
                return 2;
            }

            Thread.Sleep(5);
        }

        using (writer)
        {
            var random = new Random();
            long counter = 0;
            Console.WriteLine($"loader: locked after {clock.ElapsedMilliseconds} ms, trusted={!writer.NeedsFullLoad} reason={writer.RejectedReason ?? "-"}");
            writer.ReplaceAll(FullBatch(random, ref counter));
            Console.WriteLine("loader: ready");
            long fulls = 1;
            long batches = 0;
            while (clock.Elapsed < duration)
            {
                // In the second half values get larger, so the file has to grow while readers read.
                _large = clock.Elapsed > duration / 2;
                if (random.Next(20) == 0)
                {
                    writer.ReplaceAll(FullBatch(random, ref counter));
                    fulls++;
                    continue;
                }

                var changes = new List<CacheChange>();
                for (var n = random.Next(1, 20); n > 0; n--)
                {
                    if (random.Next(2) == 0)
                    {
                        var key = Keys.StableKey(random.Next(Keys.Stable));
                        changes.Add(CacheChange.Upsert(key, SelfCheckedValue.Create(key, ++counter, Size(random), random)));
                    }
                    else if (random.Next(3) == 0)
                    {
                        changes.Add(CacheChange.Delete(Keys.VolatileKey(random.Next(Keys.Volatile))));
                    }
                    else
                    {
                        var key = Keys.VolatileKey(random.Next(Keys.Volatile));
                        changes.Add(CacheChange.Upsert(key, SelfCheckedValue.Create(key, ++counter, Size(random), random)));
                    }
                }

                writer.Apply(changes);
                batches++;
            }

            var metrics = writer.GetMetrics();
            Console.WriteLine($"loader: done fulls={fulls} batches={batches} writes={counter} records={metrics.RecordCount} fileGeneration={metrics.FileGeneration} generation={metrics.Generation}");
        }

        return 0;
    }

    private static bool _large;

    private static int Size(Random random) =>
        (random.Next(8) == 0 ? random.Next(1000, 4000) : random.Next(0, 600)) * (_large ? 4 : 1);

    private static List<CacheRecord> FullBatch(Random random, ref long counter)
    {
        var batch = new List<CacheRecord>();
        for (var i = 0; i < Keys.Stable; i++)
        {
            var key = Keys.StableKey(i);
            batch.Add(new CacheRecord(key, SelfCheckedValue.Create(key, ++counter, Size(random), random)));
        }

        for (var i = 0; i < Keys.Volatile; i++)
        {
            if (random.Next(2) == 0)
            {
                var key = Keys.VolatileKey(i);
                batch.Add(new CacheRecord(key, SelfCheckedValue.Create(key, ++counter, Size(random), random)));
            }
        }

        return batch;
    }
}
