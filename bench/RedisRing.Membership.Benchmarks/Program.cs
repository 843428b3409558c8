using System.Diagnostics;
using System.Globalization;
using RedisRing.Membership;
using RedisRing.Membership.Watching;
using RedisRing.Testing;
using RedisRing.ZooKeeper;

// Failover benchmark (issue 6): a real ZooKeeper, 3 redis-servers with their registrars (default
// settings), and two membership watchers standing for two proxies. Each trial kills -9 one
// redis-server and records, from the kill: the node znode's deletion (seen by an exists watch)
// and the moment each watcher's ring no longer holds the node. Usage: [trials] (default 10).
var trials = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var cluster = DigestCredential.Parse("registrar:bench-cluster");
var proxy = DigestCredential.Parse("proxy:bench-proxy");
var layout = new ClusterLayout("bench");

await using var zk = await ZooKeeperServer.StartAsync();
var redis = new List<RedisServer>();
var registrars = new List<RegistrarProcess>();
try
{
    for (var i = 0; i < 3; i++)
    {
        redis.Add(await RedisServer.StartAsync());
    }

    await using var admin = await Connect(cluster);
    await ClusterAdmin.CreateClusterAsync(admin, layout, new ClusterAcls(cluster, proxy), new RingConfig(2, "{}"),
        redis.Select(r => new NodeAddress("127.0.0.1", r.Port)).ToList());
    foreach (var r in redis)
    {
        registrars.Add(RegistrarProcess.Start(null, r.Endpoint, ["--zookeeper", zk.Endpoint, "--cluster", layout.Cluster], "registrar:bench-cluster"));
    }

    await using var clientA = await Connect(proxy);
    await using var clientB = await Connect(proxy);
    await using var watcherA = await MembershipWatcher.StartAsync(clientA, layout);
    await using var watcherB = await MembershipWatcher.StartAsync(clientB, layout);
    await WaitUntil(() => watcherA.Current.Nodes.Count == 3 && watcherB.Current.Nodes.Count == 3, "3 registered nodes");

    Console.WriteLine("trial  node             znode deleted  proxy A dropped  proxy B dropped  (ms after kill -9)");
    var totals = new List<double>();
    for (var trial = 1; trial <= trials; trial++)
    {
        var victim = redis[trial % redis.Count];
        var address = new NodeAddress("127.0.0.1", victim.Port);
        var clock = new Stopwatch();
        double deleted = double.NaN, droppedA = double.NaN, droppedB = double.NaN;
        var deletedSignal = new TaskCompletionSource();
        await admin.ExistsAsync(layout.Node(address), e =>
        {
            if (e.Type == WatchEventType.NodeDeleted)
            {
                deleted = clock.Elapsed.TotalMilliseconds;
                deletedSignal.TrySetResult();
            }
        });

        EventHandler<MembershipSnapshot> onA = (_, s) =>
        {
            if (double.IsNaN(droppedA) && s.Nodes.All(n => n.Address != address))
            {
                droppedA = clock.Elapsed.TotalMilliseconds;
            }
        };
        EventHandler<MembershipSnapshot> onB = (_, s) =>
        {
            if (double.IsNaN(droppedB) && s.Nodes.All(n => n.Address != address))
            {
                droppedB = clock.Elapsed.TotalMilliseconds;
            }
        };
        watcherA.Changed += onA;
        watcherB.Changed += onB;
        clock.Start();
        victim.Kill();
        await WaitUntil(() => !double.IsNaN(droppedA) && !double.IsNaN(droppedB), "both proxies dropping " + address);
        await deletedSignal.Task.WaitAsync(TimeSpan.FromSeconds(30));
        watcherA.Changed -= onA;
        watcherB.Changed -= onB;
        var both = Math.Max(droppedA, droppedB);
        totals.Add(both);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{trial,5}  {address,-15}  {deleted,13:0}  {droppedA,15:0}  {droppedB,15:0}"));

        // Bring it back (empty, so it re-enters as joining) for the next trials.
        await victim.StartAsync();
        await WaitUntil(() => watcherA.Current.Nodes.Count == 3 && watcherB.Current.Nodes.Count == 3, "node back");
    }

    totals.Sort();
    var median = totals.Count % 2 == 1 ? totals[totals.Count / 2] : (totals[(totals.Count / 2) - 1] + totals[totals.Count / 2]) / 2;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"kill -9 to every proxy having dropped the node, {totals.Count} trials: median {median:0} ms, min {totals[0]:0} ms, max {totals[^1]:0} ms"));
}
finally
{
    foreach (var registrar in registrars)
    {
        await registrar.DisposeAsync();
    }

    foreach (var r in redis)
    {
        await r.DisposeAsync();
    }
}

async Task<ZooKeeperClient> Connect(DigestCredential credential)
{
    var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = zk.Endpoint, SessionTimeout = TimeSpan.FromSeconds(4) });
    await credential.AuthenticateAsync(client);
    return client;
}

static async Task WaitUntil(Func<bool> condition, string what)
{
    var watch = Stopwatch.StartNew();
    while (!condition())
    {
        if (watch.Elapsed > TimeSpan.FromSeconds(30))
        {
            throw new TimeoutException(what + " did not happen within 30 s");
        }

        await Task.Delay(1);
    }
}
