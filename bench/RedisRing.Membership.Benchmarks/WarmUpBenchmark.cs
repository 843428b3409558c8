using System.Diagnostics;
using System.Globalization;
using RedisRing.Membership;
using RedisRing.Testing;
using StackExchange.Redis;

/// <summary>
/// Warm-up cost (issue 15): the cluster scripts/run.sh starts (ZooKeeper, 3 redis-servers with
/// registrars, 2 proxies, defaults) is loaded with N keys of 100 bytes; a client load of GET and
/// SET through both proxies runs throughout, each command timed. Per repair rate: steady-state
/// latency for 10 s, then kill -9 of one redis-server, restart empty, and the latency from then
/// until the repairer promoted it; the job's own figures give keys/s and MB/s, and the time from
/// the restart to promotion is the time to restore R copies. Usage: warmup [keys] [rate ...]
/// (default 1000000 keys, rates 20000).
/// </summary>
internal static class WarmUpBenchmark
{
    private const int ValueBytes = 100;

    public static async Task RunAsync(int[] arguments)
    {
        var keys = arguments.Length > 0 ? arguments[0] : 1_000_000;
        var rates = arguments.Length > 1 ? arguments[1..] : [20_000];
        Console.WriteLine($"warm-up benchmark: {keys} keys of {ValueBytes} bytes, 3 nodes, 2 copies, 2 proxies; client load: 4 connections doing GET+SET in a closed loop");
        Console.WriteLine("rate (keys/s)  steady p50/p99/max (ms)  warm-up p50/p99/max (ms)  p99 ratio  restart->promoted (s)  copied keys  keys/s (copy / whole job)  serialized MB/s  client errors");
        foreach (var rate in rates)
        {
            await RunOnceAsync(keys, rate);
        }
    }

    private static async Task RunOnceAsync(int keys, int rate)
    {
        await using var local = await LocalCluster.StartAsync(60, "--repair-rate", rate.ToString(CultureInfo.InvariantCulture));
        var (redis, cluster, proxies) = (local.Redis, local.Cluster, local.Proxies);
        await LoadAsync(proxies[0].Port, keys);

        var errors = 0L;
        var samples = new List<double>[2];
        var phase = 0;
        using var stop = new CancellationTokenSource();
        var lists = new[] { new List<double>(), new List<double>() };
        samples[0] = lists[0];
        samples[1] = lists[1];
        var value = new string('v', ValueBytes);
        var clients = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            await using var connection = await RespConnection.ConnectAsync(proxies[c % 2].Port);
            var random = new Random(c);
            var clock = new Stopwatch();
            while (!stop.IsCancellationRequested)
            {
                var key = "key:" + random.Next(keys);
                clock.Restart();
                var get = await connection.CommandAsync("GET", key);
                var set = await connection.CommandAsync("SET", key, value);
                var elapsed = clock.Elapsed.TotalMilliseconds / 2;
                if (get.StartsWith('-') || get == "$-1\r\n" || set != "+OK\r\n")
                {
                    Interlocked.Increment(ref errors);
                }

                var list = samples[Volatile.Read(ref phase)];
                lock (list)
                {
                    list.Add(elapsed);
                }
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(10));
        Volatile.Write(ref phase, 1);
        var address = ZooKeeperRingCluster.AddressOf(redis[0]);
        redis[0].Kill();
        await redis[0].StartAsync();
        var restarted = Stopwatch.StartNew();
        await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Joining }, "joining", TimeSpan.FromSeconds(30));
        await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Up }, "promoted", TimeSpan.FromMinutes(20));
        var restore = restarted.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        var data = await cluster.Admin.GetDataAsync(cluster.Layout.RepairJob(address));
        RepairJob.TryParse(address.ToString(), data.Data, out var job, out _);
        var copySeconds = Math.Max((job.UpdatedMs - job.StartedMs) / 1000.0, 0.001);
        var (s50, s99, sMax) = Percentiles(lists[0]);
        var (w50, w99, wMax) = Percentiles(lists[1]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rate,13}  {s50,7:0.00}/{s99,5:0.00}/{sMax,6:0.0}       {w50,7:0.00}/{w99,5:0.00}/{wMax,6:0.0}        {w99 / s99,8:0.00}  {restore.TotalSeconds,21:0.0}  {job.Copied,11}  {job.KeysPerSecond,9:0} / {job.Copied / copySeconds,6:0}  {job.Bytes / copySeconds / 1e6,4:0.0}  {errors,13}"));
    }

    private static async Task LoadAsync(int port, int keys)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}");
        var db = connection.GetDatabase();
        // Random bytes, so that the serialized size is the real one (RDB compresses repetitive strings).
        var random = new Random(1);
        const int Batch = 2000;
        for (var start = 0; start < keys; start += Batch)
        {
            var batch = db.CreateBatch();
            var writes = Enumerable.Range(start, Math.Min(Batch, keys - start)).Select(i =>
            {
                var value = new byte[ValueBytes];
                random.NextBytes(value);
                return batch.StringSetAsync("key:" + i, value);
            }).ToArray();
            batch.Execute();
            await Task.WhenAll(writes);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  loaded {keys} keys through the proxy in {clock.Elapsed.TotalSeconds:0.0} s"));
    }

    private static (double P50, double P99, double Max) Percentiles(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? (0, 0, 0) : (sorted[sorted.Count / 2], sorted[(int)(sorted.Count * 0.99)], sorted[^1]);
    }
}
