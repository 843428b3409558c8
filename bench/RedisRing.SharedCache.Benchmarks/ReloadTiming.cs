using System.Diagnostics;
using System.Globalization;
using RedisRing.SharedCache.Writing;

namespace RedisRing.SharedCache.Benchmarks;

/// <summary>
/// Full reloads of 1M records with wall-clock and CPU time side by side: on a machine shared with
/// other builds the wall clock mostly measures waiting for a core, the CPU time what a reload costs.
/// Run: dotnet RedisRing.SharedCache.Benchmarks.dll reload-timing [rounds]
/// </summary>
internal static class ReloadTiming
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var even = ReloadBenchmarks.Batch(1);
        var odd = ReloadBenchmarks.Batch(2);
        using var cache = new BenchCache(1L << 30);
        using var writer = SharedCacheWriter.Acquire(cache.Options);
        Measure("first load into a new file", () => writer.ReplaceAll(even));
        for (var round = 0; round < rounds; round++)
        {
            Measure("all 1M changed", () => writer.ReplaceAll(round % 2 == 0 ? odd : even));
        }

        Measure("none changed", () => writer.ReplaceAll(rounds % 2 == 0 ? even : odd));
        return 0;
    }

    private static void Measure(string what, Action reload)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        reload();
        clock.Stop();
        self.Refresh();
        Console.WriteLine($"{what}: wall {clock.Elapsed.TotalMilliseconds:F0} ms, cpu {(self.TotalProcessorTime - cpu).TotalMilliseconds:F0} ms");
    }
}
