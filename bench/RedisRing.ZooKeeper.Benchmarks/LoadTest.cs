using System.Diagnostics;
using System.Globalization;

namespace RedisRing.ZooKeeper.Benchmarks;

/// <summary>
/// Pipelined getData / setData against a running ZooKeeper: a fixed number of requests kept in
/// flight on one client for a fixed time; prints throughput and latency percentiles in the same
/// format as the Java baseline (java/ZkBaseline.java), so the two can be compared line by line.
/// </summary>
internal static class LoadTest
{
    public static async Task RunAsync(string server, string operation, int inFlight, TimeSpan duration)
    {
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = server });
        var path = "/bench-" + Guid.NewGuid().ToString("N")[..8];
        var data = new byte[100];
        await client.CreateAsync(path, data);
        Func<Task> call = operation switch
        {
            "get" => () => client.GetDataAsync(path),
            "set" => () => client.SetDataAsync(path, data),
            _ => throw new ArgumentException("operation is get or set", nameof(operation)),
        };

        await MeasureAsync(call, inFlight, TimeSpan.FromSeconds(2)); // warm-up: JIT, server caches
        var (count, latencies) = await MeasureAsync(call, inFlight, duration);
        await client.DeleteAsync(path);
        Print("dotnet", operation, inFlight, duration, count, latencies);
    }

    private static async Task<(long Count, List<long> Latencies)> MeasureAsync(Func<Task> call, int inFlight, TimeSpan duration)
    {
        var stop = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, inFlight).Select(async _ =>
        {
            var latencies = new List<long>(100_000);
            while (Stopwatch.GetTimestamp() < stop)
            {
                var start = Stopwatch.GetTimestamp();
                await call();
                latencies.Add(Stopwatch.GetTimestamp() - start);
            }

            return latencies;
        }).ToList();
        var all = (await Task.WhenAll(workers)).SelectMany(l => l).ToList();
        return (all.Count, all);
    }

    private static void Print(string client, string operation, int inFlight, TimeSpan duration, long count, List<long> latencies)
    {
        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? 0 : latencies[(int)Math.Min(latencies.Count - 1, p * latencies.Count)] * 1_000_000.0 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{client,-6} {operation} inflight={inFlight,-3} ops/s={count / duration.TotalSeconds,9:F0} p50={Percentile(0.50),7:F0}us p99={Percentile(0.99),7:F0}us p99.9={Percentile(0.999),7:F0}us"));
    }
}
