using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace RedisRing.Testing;

/// <summary>
/// A real twemproxy (nutcracker, the Debian package) in front of the given redis servers, with
/// fnv1a_64 + ketama placement and host ejection off, so that its placement can be compared
/// with ours key by key.
/// </summary>
public sealed class Nutcracker : ServerProcess
{
    private Nutcracker(ITestOutputHelper? output, int port)
        : base($"nutcracker-{port}", output)
    {
        Port = port;
    }

    public int Port { get; }

    public int StatsPort { get; private set; }

    public string ConfigPath => Path.Combine(Directory, "nutcracker.yml");

    /// <summary>The nutcracker binary: REDISRING_NUTCRACKER overrides it.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("REDISRING_NUTCRACKER") is { Length: > 0 } path ? path : "nutcracker";

    /// <summary>
    /// Starts nutcracker over <paramref name="servers"/>, each "host:port:weight" or
    /// "host:port:weight name" exactly as in a twemproxy server line.
    /// </summary>
    /// <param name="hashTag">Two characters for <c>hash_tag</c>, or null to leave it unset.</param>
    public static async Task<Nutcracker> StartAsync(ITestOutputHelper? output, IEnumerable<string> servers, string? hashTag = "{}")
    {
        var list = servers.ToList();
        return await StartOrDisposeAsync(new Nutcracker(output, LoopbackPorts.GetFree()), n => n.StartAsync(list, hashTag));
    }

    private async Task StartAsync(IReadOnlyList<string> servers, string? hashTag)
    {
        var config = new StringBuilder();
        config.Append("ring:\n");
        config.Append(CultureInfo.InvariantCulture, $"  listen: 127.0.0.1:{Port}\n");
        config.Append("  hash: fnv1a_64\n");
        if (hashTag is not null)
        {
            config.Append(CultureInfo.InvariantCulture, $"  hash_tag: \"{hashTag}\"\n");
        }

        config.Append("  distribution: ketama\n");
        config.Append("  redis: true\n");
        config.Append("  auto_eject_hosts: false\n");
        config.Append("  timeout: 5000\n");
        config.Append("  servers:\n");
        foreach (var server in servers)
        {
            config.Append(CultureInfo.InvariantCulture, $"    - {server}\n");
        }

        await File.WriteAllTextAsync(ConfigPath, config.ToString());
        StatsPort = LoopbackPorts.GetFree();
        // -o /dev/stderr: the log goes to the fixture's log (nutcracker's default is a file in /var/log).
        StartProcess(Executable,
        [
            "-c", ConfigPath,
            "-s", StatsPort.ToString(CultureInfo.InvariantCulture),
            "-a", "127.0.0.1",
            "-o", "/dev/stderr",
            "-v", "5",
        ]);
        await WaitForPortAsync(Port, TimeSpan.FromSeconds(20));
    }
}
