using System.Diagnostics;
using System.Globalization;
using RedisRing.Testing;
using RedisRing.ZooKeeper;

// Failover benchmark (issue 6): a real ZooKeeper, 3 redis-servers with their registrars and two
// redisring-proxy processes in ZooKeeper mode, all with default settings. Each trial kills -9 one
// redis-server and records, from the kill: the node znode's deletion (seen by an exists watch)
// and the moment each proxy's ring (INFO ring, polled every few milliseconds on a kept
// connection) no longer holds the node. Usage: [trials] (default 10).
var trials = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;

await using var zk = await ZooKeeperServer.StartAsync();
var redis = new List<RedisServer>();
for (var i = 0; i < 3; i++)
{
    redis.Add(await RedisServer.StartAsync());
}

await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Endpoint, null, redis.Select(ZooKeeperRingCluster.AddressOf).ToList());
foreach (var r in redis)
{
    cluster.Own(r);
    cluster.Own(RegistrarProcess.Start(null, r.Endpoint, ["--zookeeper", zk.Endpoint, "--cluster", cluster.Layout.Cluster], ZooKeeperRingCluster.ClusterAuth));
}

var environment = new Dictionary<string, string> { ["REDISRING_ZK_PROXY_AUTH"] = ZooKeeperRingCluster.ProxyAuth };
ProxyProcess[] proxies =
[
    cluster.Own(await ProxyProcess.StartAsync(null, ["--zookeeper", zk.Endpoint, "--cluster", cluster.Layout.Cluster], environment: environment)),
    cluster.Own(await ProxyProcess.StartAsync(null, ["--zookeeper", zk.Endpoint, "--cluster", cluster.Layout.Cluster], environment: environment)),
];
foreach (var proxy in proxies)
{
    await ZooKeeperRingCluster.WaitForRingAsync(proxy, ring => ring.Count == 3, "3 registered nodes");
}

Console.WriteLine("trial  node             znode deleted  proxy A dropped  proxy B dropped  (ms after kill -9)");
var totals = new List<double>();
for (var trial = 1; trial <= trials; trial++)
{
    var victim = redis[trial % redis.Count];
    var address = ZooKeeperRingCluster.AddressOf(victim);
    var clock = new Stopwatch();
    double deleted = double.NaN;
    var deletedSignal = new TaskCompletionSource();
    await cluster.Admin.ExistsAsync(cluster.Layout.Node(address), e =>
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
    var dropped = await Task.WhenAll(DroppedAsync(connectionA, victim.Endpoint, clock), DroppedAsync(connectionB, victim.Endpoint, clock));
    await deletedSignal.Task.WaitAsync(TimeSpan.FromSeconds(30));
    var both = dropped.Max();
    totals.Add(both);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{trial,5}  {address,-15}  {deleted,13:0}  {dropped[0],15:0}  {dropped[1],15:0}"));

    // Bring it back (empty, so it re-enters as joining) for the next trials.
    await victim.StartAsync();
    foreach (var proxy in proxies)
    {
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, ring => ring.Count == 3, "node back");
    }
}

totals.Sort();
var median = totals.Count % 2 == 1 ? totals[totals.Count / 2] : (totals[(totals.Count / 2) - 1] + totals[totals.Count / 2]) / 2;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"kill -9 to every proxy having dropped the node, {totals.Count} trials: median {median:0} ms, min {totals[0]:0} ms, max {totals[^1]:0} ms"));

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
