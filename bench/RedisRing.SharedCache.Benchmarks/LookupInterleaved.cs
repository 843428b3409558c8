using System.Diagnostics;

namespace RedisRing.SharedCache.Benchmarks;

/// <summary>
/// The lookup benchmark's four methods measured in interleaved rounds (each round times 20k lookups
/// of every method back to back) and reported as the median per-lookup time over the rounds. On a
/// machine whose load changes from minute to minute, this keeps the comparison fair where
/// BenchmarkDotNet's method-after-method runs do not.
/// Run: dotnet RedisRing.SharedCache.Benchmarks.dll lookup-interleaved [rounds]
/// </summary>
internal static class LookupInterleaved
{
    private const int PerRound = 20_000;

    public static int Run(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
        var bench = new LookupBenchmarks();
        bench.Setup();
        try
        {
            var methods = new (string Name, Func<int> Lookup)[]
            {
                ("ConcurrentDictionary_string_key", bench.ConcurrentDictionary_string_key),
                ("MemoryCache_string_key", bench.MemoryCache_string_key),
                ("SharedCache_string_key", bench.SharedCache_string_key),
                ("SharedCache_utf8_key", bench.SharedCache_utf8_key),
            };
            var samples = methods.Select(_ => new List<double>()).ToArray();
            var allocated = new long[methods.Length];
            for (var round = -5; round < rounds; round++)
            {
                for (var m = 0; m < methods.Length; m++)
                {
                    var lookup = methods[m].Lookup;
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    var clock = Stopwatch.StartNew();
                    for (var i = 0; i < PerRound; i++)
                    {
                        lookup();
                    }

                    clock.Stop();
                    if (round >= 0)
                    {
                        samples[m].Add(clock.Elapsed.TotalNanoseconds / PerRound);
                        allocated[m] += GC.GetAllocatedBytesForCurrentThread() - before;
                    }
                }
            }

            var baseline = Median(samples[0]);
            Console.WriteLine("| Method | Median ns/lookup | Ratio to ConcurrentDictionary | Allocated bytes/lookup |");
            Console.WriteLine("| --- | --- | --- | --- |");
            for (var m = 0; m < methods.Length; m++)
            {
                var median = Median(samples[m]);
                Console.WriteLine($"| {methods[m].Name} | {median:F1} | {median / baseline:F2} | {(double)allocated[m] / (rounds * (long)PerRound):F2} |");
            }
        }
        finally
        {
            bench.Cleanup();
        }

        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
