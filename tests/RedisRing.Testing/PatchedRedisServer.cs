using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace RedisRing.Testing;

/// <summary>
/// The redis-server built from redis-patch/ (<c>.local/redis-patch/bin/redis-server</c>, made by
/// redis-patch/build.sh) on a free loopback port, with the ZooKeeper directives a test gives.
/// Restarts keep the port and the folder (so an RDB written before is loaded again).
/// </summary>
public sealed class PatchedRedisServer : ServerProcess
{
    private readonly List<string> _arguments;

    private PatchedRedisServer(ITestOutputHelper? output, int port, IEnumerable<string> arguments)
        : base($"patched-redis-{port}", output)
    {
        Port = port;
        _arguments = [.. arguments];
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>The patched binary; missing when the build failed or was never run.</summary>
    public static string Executable { get; } = Path.Combine(RepositoryPaths.Root, ".local", "redis-patch", "bin", "redis-server");

    /// <summary>
    /// Starts the server with <c>--zookeeper-*</c> (or any other) arguments, for example
    /// <c>["--zookeeper-connect", zk, "--zookeeper-cluster", name]</c>.
    /// </summary>
    public static async Task<PatchedRedisServer> StartAsync(ITestOutputHelper? output, IEnumerable<string> arguments, int? port = null)
    {
        if (!File.Exists(Executable))
        {
            throw new FileNotFoundException($"{Executable} is missing: run redis-patch/build.sh (scripts/test.d/redis-patch.sh does; log in .local/redis-patch/build.log).", Executable);
        }

        return await StartOrDisposeAsync(new PatchedRedisServer(output, port ?? LoopbackPorts.GetFree(), arguments), s => s.StartAsync());
    }

    /// <summary>Starts (or restarts, after a kill or SHUTDOWN) the server on the same port and folder.</summary>
    public async Task StartAsync()
    {
        var arguments = RedisServer.StandardArguments(Port, Directory);
        arguments.AddRange(_arguments);

        // Through a config file, not the command line: zookeeper-auth holds a password, and the
        // command line shows in ps and in this fixture's log.
        var configPath = Path.Combine(Directory, "redis.conf");
        await File.WriteAllTextAsync(configPath, ToConfigFile(arguments));
        StartProcess(Executable, [configPath]);
        await WaitForPortAsync(Port, TimeSpan.FromSeconds(20));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!(await TryCommandAsync("PING")).StartsWith("+PONG", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} did not answer PING.\n{ReadLog()}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>
    /// <c>--name value...</c> arguments as redis.conf lines, values double-quoted (Redis's own
    /// escapes for backslash and quote).
    /// </summary>
    private static string ToConfigFile(IEnumerable<string> arguments)
    {
        var text = new StringBuilder();
        foreach (var argument in arguments)
        {
            if (argument.StartsWith("--", StringComparison.Ordinal))
            {
                text.Append(text.Length > 0 ? "\n" : string.Empty).Append(argument[2..]);
            }
            else
            {
                text.Append(" \"").Append(argument.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
            }
        }

        return text.Append('\n').ToString();
    }

    /// <summary>
    /// Sends SHUTDOWN (NOSAVE unless told) and waits for the process to exit; the server closes
    /// the connection instead of replying.
    /// </summary>
    public async Task ShutdownAsync(string mode = "NOSAVE")
    {
        try
        {
            await CommandAsync("SHUTDOWN", mode);
        }
        catch (IOException)
        {
            // Expected: no reply, the connection just closes.
        }

        await WaitForExitAsync(TimeSpan.FromSeconds(20));
        Kill();
    }

    /// <summary>Sends one command and returns the raw reply as text.</summary>
    public Task<string> CommandAsync(params string[] arguments) => RawRedis.CommandAsync(Port, arguments);

    /// <summary>
    /// The fields of one INFO section (for example <c>zookeeper</c>) as name → value.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> InfoAsync(string section)
    {
        var reply = await CommandAsync("INFO", section);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in reply.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && !line.StartsWith('#'))
            {
                fields[line[..colon]] = line[(colon + 1)..];
            }
        }

        return fields;
    }

    private async Task<string> TryCommandAsync(string command)
    {
        try
        {
            return await CommandAsync(command);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return string.Empty;
        }
    }
}
