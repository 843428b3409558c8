using System.Diagnostics;
using System.Globalization;
using RedisRing.Testing;

/// <summary>
/// Issue 14's proof under load: the local cluster with default settings, 8 clients (4 per proxy)
/// each writing a key and reading it back in a loop, ZooKeeper stopped with SIGSTOP for 8 s and
/// continued. Counts every failed or wrong reply during and after the pause, the lowest
/// ring_readable_nodes any proxy showed (INFO ring polled every 20 ms), and, over the 5 s after
/// SIGCONT, the last moment a proxy showed fewer than 3 readable nodes or fewer than 3 live members
/// (the registrars' 4 s sessions expire during the pause, so their liveness znodes are created
/// again on new sessions: liveness dips, reads do not).
/// </summary>
internal static class ZooKeeperPauseBenchmark
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(8);

    public static async Task RunAsync(int trials)
    {
        await using var local = await LocalCluster.StartAsync(60);
        Console.WriteLine("trial  commands  failed  lowest readable  readable 3/3 for good after SIGCONT (ms)  live 3/3 for good (ms)  lowest live  sessions renewed");
        var back = new List<double>();
        var live = new List<double>();
        long totalFailed = 0;
        for (var trial = 1; trial <= trials; trial++)
        {
            var (commands, failed, lowest, readableMs, liveMs, lowestLiveAfter, renewed) = await TrialAsync(local);
            totalFailed += failed;
            back.Add(readableMs);
            live.Add(liveMs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{trial,5}  {commands,8}  {failed,6}  {lowest,15}  {readableMs,39:0}  {liveMs,22:0}  {lowestLiveAfter,11}  {renewed,16}"));
            await Task.Delay(2000);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"8 s ZooKeeper pause, {trials} trials: {totalFailed} failed commands; 3 readable nodes in both proxies for good {back.Min():0}-{back.Max():0} ms after SIGCONT (0: never fewer); 3 live members {live.Min():0}-{live.Max():0} ms after SIGCONT"));
    }

    private static async Task<(long Commands, long Failed, int Lowest, double ReadableMs, double LiveMs, int LowestLiveAfter, int Renewed)> TrialAsync(LocalCluster local)
    {
        long commands = 0;
        long failed = 0;
        var lowest = int.MaxValue;
        var lowestLiveAfter = int.MaxValue;
        var resumed = false;
        double lastNotReadable = 0;
        double lastNotLive = 0;
        var clock = new Stopwatch();
        var owners = await LivenessOwnersAsync(local);
        using var stop = new CancellationTokenSource();

        async Task Client(int client)
        {
            await using var connection = await RespConnection.ConnectAsync(local.Proxies[client % 2].Port);
            for (var seq = 0; !stop.IsCancellationRequested; seq++)
            {
                var key = $"pause:{client}:{seq % 1000}";
                var value = "v" + seq;
                var set = await connection.CommandAsync("SET", key, value);
                var get = await connection.CommandAsync("GET", key);
                Interlocked.Add(ref commands, 2);
                if (set != "+OK\r\n" || get != $"${value.Length}\r\n{value}\r\n")
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }

        async Task Watch()
        {
            var connections = await Task.WhenAll(local.Proxies.Select(p => RespConnection.ConnectAsync(p.Port)));
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (var connection in connections)
                    {
                        var info = await connection.CommandAsync("INFO", "ring");
                        var readable = Field(info, "ring_readable_nodes");
                        lowest = Math.Min(lowest, readable);
                        if (Volatile.Read(ref resumed))
                        {
                            var liveMembers = Field(info, "members_live");
                            lowestLiveAfter = Math.Min(lowestLiveAfter, liveMembers);
                            lastNotReadable = readable < 3 ? clock.Elapsed.TotalMilliseconds : lastNotReadable;
                            lastNotLive = liveMembers < 3 ? clock.Elapsed.TotalMilliseconds : lastNotLive;
                        }
                    }

                    await Task.Delay(20);
                }
            }
            finally
            {
                foreach (var connection in connections)
                {
                    await connection.DisposeAsync();
                }
            }
        }

        var load = Enumerable.Range(0, 8).Select(Client).Append(Watch()).ToArray();
        await Task.Delay(2000);
        local.ZooKeeper.Signal("STOP");
        await Task.Delay(Pause);
        local.ZooKeeper.Signal("CONT");
        clock.Start();
        Volatile.Write(ref resumed, true);
        await Task.Delay(5000); // the ring after the pause, and load after it, count too
        await stop.CancelAsync();
        await Task.WhenAll(load);
        var after = await LivenessOwnersAsync(local);
        return (commands, failed, lowest, lastNotReadable, lastNotLive, lowestLiveAfter, owners.Zip(after).Count(p => p.First != p.Second));
    }

    /// <summary>The session that holds each node's liveness znode (0 when there is none).</summary>
    private static async Task<long[]> LivenessOwnersAsync(LocalCluster local)
    {
        var owners = new long[local.Redis.Count];
        for (var i = 0; i < owners.Length; i++)
        {
            try
            {
                owners[i] = (await local.Cluster.ReadAsync(local.Cluster.Layout.Liveness(ZooKeeperRingCluster.AddressOf(local.Redis[i])))).Stat.EphemeralOwner;
            }
            catch (RedisRing.ZooKeeper.NoNodeException)
            {
                owners[i] = 0;
            }
        }

        return owners;
    }

    private static int Field(string info, string name)
    {
        var line = info.Split("\r\n").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        return line is null ? -1 : int.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
