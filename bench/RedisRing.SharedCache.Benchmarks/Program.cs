namespace RedisRing.SharedCache.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        // "memory [workers]": the PSS/RSS demonstration, outside BenchmarkDotNet.
        if (args.Length > 0 && args[0].StartsWith("memory", StringComparison.Ordinal))
        {
            return MemoryPerWorker.Run(args);
        }

        if (args.Length > 0 && args[0] == "lookup-interleaved")
        {
            return LookupInterleaved.Run(args);
        }

        if (args.Length > 0 && args[0] == "reload-timing")
        {
            return ReloadTiming.Run(args);
        }

        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
