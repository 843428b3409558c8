using System.Diagnostics;
using System.Globalization;
using RedisRing.Testing;
using RedisRing.ZooKeeper;

// Failover benchmark (issues 6 and 14): a real ZooKeeper, 3 redis-servers with their registrars and
// two redisring-proxy processes in ZooKeeper mode, all with default settings except the cluster's
// down grace period (5 s here instead of 60, so that trials stay short). Each trial kills -9 one
// redis-server and records, from the kill: when each proxy stopped reading the node (its own
// connection: INFO ring shows state=down), when the node's liveness znode was deleted (an exists
// watch), and when each proxy's ring no longer holds the member (removed after the grace period).
// INFO ring is polled every few milliseconds on kept connections. Usage: [trials] (default 10).
// `pause [trials]` runs ZooKeeperPauseBenchmark instead (an 8 s SIGSTOP of ZooKeeper under load);
// `warmup [keys] [rate ...]` runs WarmUpBenchmark (a node restarted empty, warmed up under load).
if (args is ["warmup", ..])
{
    await WarmUpBenchmark.RunAsync(args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray());
    return;
}

if (args is ["pause", ..])
{
    await ZooKeeperPauseBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3);
    return;
}

var trials = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
const int downGraceSeconds = 5;

await using var local = await LocalCluster.StartAsync(downGraceSeconds);
var (zk, redis, cluster, proxies) = (local.ZooKeeper, local.Redis, local.Cluster, local.Proxies);

Console.WriteLine("trial  node             proxy A down  proxy B down  liveness gone  proxy A removed  proxy B removed  (ms after kill -9; grace " + downGraceSeconds + " s)");
var totals = new List<double>();
var downs = new List<double>();
for (var trial = 1; trial <= trials; trial++)
{
    var victim = redis[trial % redis.Count];
    var address = ZooKeeperRingCluster.AddressOf(victim);
    var clock = new Stopwatch();
    double deleted = double.NaN;
    var deletedSignal = new TaskCompletionSource();
    await cluster.Admin.ExistsAsync(cluster.Layout.Liveness(address), e =>
    {
        if (e.Type == WatchEventType.NodeDeleted)
        {
            deleted = clock.Elapsed.TotalMilliseconds;
            deletedSignal.TrySetResult();
        }
    });

    await using var connectionA = await RespConnection.ConnectAsync(proxies[0].Port);
    await using var connectionB = await RespConnection.ConnectAsync(proxies[1].Port);
    clock.Start();
    victim.Kill();
    var down = await Task.WhenAll(DownAsync(connectionA, victim.Endpoint, clock), DownAsync(connectionB, victim.Endpoint, clock));
    var dropped = await Task.WhenAll(DroppedAsync(connectionA, victim.Endpoint, clock), DroppedAsync(connectionB, victim.Endpoint, clock));
    await deletedSignal.Task.WaitAsync(TimeSpan.FromSeconds(30));
    downs.Add(down.Max());
    totals.Add(dropped.Max());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{trial,5}  {address,-15}  {down[0],12:0}  {down[1],12:0}  {deleted,13:0}  {dropped[0],15:0}  {dropped[1],15:0}"));

    // Bring it back (empty: a new member, joining) and promote it for the next trials.
    await victim.StartAsync();
    await cluster.WaitForLiveAsync(address, l => l is not null, "liveness of the restarted node");
    await cluster.PromoteAsync(address);
    foreach (var proxy in proxies)
    {
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, ring => ring.Count == 3, "node back");
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"kill -9 to both proxies reading elsewhere, {downs.Count} trials: median {Median(downs):0} ms, min {downs.Min():0} ms, max {downs.Max():0} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"kill -9 to both proxies having removed the member (grace {downGraceSeconds} s), {totals.Count} trials: median {Median(totals):0} ms, min {totals.Min():0} ms, max {totals.Max():0} ms"));

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

// Polls INFO ring until the node shows state=down (this proxy no longer reads or writes it); returns the clock's time then.
static async Task<double> DownAsync(RespConnection connection, string address, Stopwatch clock)
{
    while (clock.Elapsed < TimeSpan.FromSeconds(30))
    {
        var info = await connection.CommandAsync("INFO", "ring");
        var line = info.Split("\r\n").FirstOrDefault(l => l.Contains("address=" + address + ",", StringComparison.Ordinal));
        if (line is null || !line.Contains(",state=up,", StringComparison.Ordinal))
        {
            return clock.Elapsed.TotalMilliseconds;
        }

        await Task.Delay(2);
    }

    throw new TimeoutException($"a proxy still reads {address} 30 s after the kill");
}

// Polls INFO ring until the node's address is gone; returns the clock's time then.
static async Task<double> DroppedAsync(RespConnection connection, string address, Stopwatch clock)
{
    while (clock.Elapsed < TimeSpan.FromSeconds(30))
    {
        var info = await connection.CommandAsync("INFO", "ring");
        if (!info.Contains("address=" + address + ",", StringComparison.Ordinal))
        {
            return clock.Elapsed.TotalMilliseconds;
        }

        await Task.Delay(2);
    }

    throw new TimeoutException($"a proxy still holds {address} 30 s after the kill");
}
