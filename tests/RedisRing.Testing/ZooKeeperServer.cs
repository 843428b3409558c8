using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace RedisRing.Testing;

/// <summary>
/// A real ZooKeeper server (Debian's zookeeper package, started with QuorumPeerMain) on free
/// loopback ports: standalone, or one member of a <see cref="ZooKeeperEnsemble"/>. Small tick
/// time so sessions expire quickly, admin server off, every four-letter word allowed, TTL nodes
/// enabled, logs on the console (slf4j-simple) captured into the fixture's log.
/// </summary>
public sealed class ZooKeeperServer : ServerProcess
{
    /// <summary>Milliseconds per tick: sessions may last 2 to 300 ticks (0.2 s to 30 s).</summary>
    public const int TickTimeMs = 100;

    private const string ZooKeeperJar = "/usr/share/java/zookeeper.jar";
    private const string Slf4jSimpleJar = "/usr/share/java/slf4j-simple.jar";

    private readonly string? _ensembleServers;

    internal ZooKeeperServer(ITestOutputHelper? output, int id, int clientPort, string? ensembleServers)
        : base($"zookeeper-{clientPort}", output)
    {
        Id = id;
        Port = clientPort;
        _ensembleServers = ensembleServers;
    }

    /// <summary>The server id (myid): 1 to 3 in an ensemble, 0 standalone.</summary>
    public int Id { get; }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Starts a standalone server.</summary>
    public static Task<ZooKeeperServer> StartAsync(ITestOutputHelper? output = null) =>
        StartOrDisposeAsync(new ZooKeeperServer(output, 0, LoopbackPorts.GetFree(), null), s => s.StartAsync());

    /// <summary>Starts the server (again, after <see cref="ServerProcess.Kill"/>) with the same ports and data.</summary>
    public Task StartAsync() => StartAsync(TimeSpan.FromSeconds(60));

    internal async Task StartAsync(TimeSpan timeout)
    {
        var config = WriteConfig();
        var classPath = File.Exists(Slf4jSimpleJar) ? $"{ZooKeeperJar}:{Slf4jSimpleJar}:{Directory}" : $"{ZooKeeperJar}:{Directory}";
        StartProcess("java",
        [
            "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-Dzookeeper.extendedTypesEnabled=true",
            "-Dznode.container.checkIntervalMs=100",
            "-Dzookeeper.admin.enableServer=false",
            "-Dzookeeper.jmx.log4j.disable=true",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-cp", classPath,
            "org.apache.zookeeper.server.quorum.QuorumPeerMain", config,
        ]);
        await WaitServingAsync(timeout);
    }

    /// <summary>Sends a four-letter word (ruok, srvr, stat, mntr...) and returns the answer.</summary>
    public async Task<string> FourLetterWordAsync(string word)
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync("127.0.0.1", Port, cts.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(word), cts.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cts.Token);
    }

    /// <summary>"standalone", "leader" or "follower" (from srvr).</summary>
    public async Task<string> ModeAsync()
    {
        var srvr = await FourLetterWordAsync("srvr");
        var line = srvr.Split('\n').FirstOrDefault(l => l.StartsWith("Mode:", StringComparison.Ordinal));
        return line is null ? "not serving" : line["Mode:".Length..].Trim();
    }

    /// <summary>Waits until srvr reports a mode, i.e. the server serves clients (an ensemble member: has a quorum).</summary>
    internal async Task WaitServingAsync(TimeSpan timeout)
    {
        await WaitForPortAsync(Port, timeout);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await ModeAsync() != "not serving")
                {
                    return;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
            }

            if (!IsRunning)
            {
                throw new InvalidOperationException($"{Name} exited before serving.\n{ReadLog()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} did not start serving within {timeout}.\n{ReadLog()}");
            }

            await Task.Delay(50);
        }
    }

    private string WriteConfig()
    {
        var dataDir = Path.Combine(Directory, "data");
        System.IO.Directory.CreateDirectory(dataDir);
        var config = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"tickTime={TickTimeMs}")
            .AppendLine("initLimit=20")
            .AppendLine("syncLimit=10")
            .AppendLine(CultureInfo.InvariantCulture, $"minSessionTimeout={2 * TickTimeMs}")
            .AppendLine(CultureInfo.InvariantCulture, $"maxSessionTimeout={300 * TickTimeMs}")
            .AppendLine(CultureInfo.InvariantCulture, $"dataDir={dataDir}")
            .AppendLine(CultureInfo.InvariantCulture, $"clientPort={Port}")
            .AppendLine("clientPortAddress=127.0.0.1")
            .AppendLine("admin.enableServer=false")
            .AppendLine("4lw.commands.whitelist=*")
            .AppendLine("maxClientCnxns=0")
            .AppendLine("preAllocSize=1024")
            .AppendLine("forceSync=no");
        if (_ensembleServers is not null)
        {
            config.Append(_ensembleServers);
            File.WriteAllText(Path.Combine(dataDir, "myid"), Id.ToString(CultureInfo.InvariantCulture));
        }

        var path = Path.Combine(Directory, "zoo.cfg");
        File.WriteAllText(path, config.ToString());
        return path;
    }
}
