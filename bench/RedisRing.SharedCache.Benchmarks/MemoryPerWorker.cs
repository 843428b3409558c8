using System.Diagnostics;
using System.Globalization;
using RedisRing.SharedCache.Reading;
using RedisRing.SharedCache.Writing;

namespace RedisRing.SharedCache.Benchmarks;

/// <summary>
/// Shows that the records are held once per host: loads 100k ~500-byte records, starts N worker
/// processes that each read every record, and prints each worker's RSS and PSS for the cache file's
/// mapping from /proc/PID/smaps. RSS counts the shared pages in full in every worker; PSS divides
/// them among the processes that map them, so the PSS column adds up to one copy.
/// Run: dotnet RedisRing.SharedCache.Benchmarks.dll memory [workers]
/// </summary>
internal static class MemoryPerWorker
{
    private const int Records = 100_000;

    public static int Run(string[] args)
    {
        if (args[0] == "memory-worker")
        {
            return Worker(args[1]);
        }

        var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
        using var cache = new BenchCache(1L << 20);
        var random = new Random(1);
        using (var writer = SharedCacheWriter.Acquire(cache.Options))
        {
            writer.ReplaceAll(Enumerable.Range(0, Records).Select(i =>
            {
                var value = new byte[500];
                random.NextBytes(value);
                return CacheRecord.From($"site:{i:D6}.example.com", value);
            }).ToList());
        }

        var dataFile = Path.GetFullPath(new FileInfo(cache.Options.Path).LinkTarget!, cache.Directory);
        Console.WriteLine($"cache file: {new FileInfo(dataFile).Length / 1024} KiB for {Records} records of 500 bytes");
        var self = Environment.ProcessPath!;
        var dll = typeof(MemoryPerWorker).Assembly.Location;
        var processes = new List<Process>();
        try
        {
            for (var i = 0; i < workers; i++)
            {
                var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
                info.ArgumentList.Add(dll);
                info.ArgumentList.Add("memory-worker");
                info.ArgumentList.Add(cache.Options.Path);
                var process = Process.Start(info)!;
                processes.Add(process);
                if (process.StandardOutput.ReadLine() != "ready")
                {
                    throw new InvalidOperationException("worker failed");
                }
            }

            long totalRss = 0, totalPss = 0;
            Console.WriteLine("| worker | cache mapping RSS (KiB) | cache mapping PSS (KiB) | process RSS (KiB) | process PSS (KiB) |");
            Console.WriteLine("| --- | --- | --- | --- | --- |");
            foreach (var process in processes)
            {
                var (rss, pss) = MappingUsage(process.Id, dataFile);
                var (processRss, processPss) = Rollup(process.Id);
                totalRss += rss;
                totalPss += pss;
                Console.WriteLine($"| {process.Id} | {rss} | {pss} | {processRss} | {processPss} |");
            }

            Console.WriteLine($"| all {workers} | {totalRss} | {totalPss} | | |");
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Kill();
                process.Dispose();
            }
        }

        return 0;
    }

    private static int Worker(string path)
    {
        using var reader = SharedCacheReader.Open(new SharedCacheOptions { Path = path });
        var buffer = new byte[1024];
        for (var i = 0; i < Records; i++)
        {
            if (reader.TryGet($"site:{i:D6}.example.com", buffer, out _) != LookupStatus.Found)
            {
                return 1;
            }
        }

        Console.WriteLine("ready");
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    private static (long Rss, long Pss) MappingUsage(int pid, string file)
    {
        long rss = 0, pss = 0;
        var inMapping = false;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            if (IsMappingLine(line))
            {
                inMapping = line.EndsWith(file, StringComparison.Ordinal);
                continue;
            }

            if (inMapping)
            {
                rss += Field(line, "Rss:");
                pss += Field(line, "Pss:");
            }
        }

        return (rss, pss);
    }

    private static bool IsMappingLine(string line)
    {
        var dash = line.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && line[..dash].All(char.IsAsciiHexDigit);
    }

    private static (long Rss, long Pss) Rollup(int pid)
    {
        long rss = 0, pss = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
        {
            rss += Field(line, "Rss:");
            pss += Field(line, "Pss:");
        }

        return (rss, pss);
    }

    private static long Field(string line, string name) =>
        line.StartsWith(name, StringComparison.Ordinal)
            ? long.Parse(line.AsSpan(name.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture)
            : 0;
}
