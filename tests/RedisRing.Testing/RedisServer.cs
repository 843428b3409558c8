using System.Globalization;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace RedisRing.Testing;

/// <summary>A real redis-server on a free loopback port, without persistence unless asked.</summary>
public sealed class RedisServer : ServerProcess
{
    private readonly string[] _extraArguments;

    private RedisServer(ITestOutputHelper? output, int port, string[] extraArguments)
        : base($"redis-{port}", output)
    {
        Port = port;
        _extraArguments = extraArguments;
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>The redis-server binary: REDISRING_REDIS_SERVER overrides it (for example a patched build).</summary>
    public static string Executable => Environment.GetEnvironmentVariable("REDISRING_REDIS_SERVER") is { Length: > 0 } path ? path : "redis-server";

    public static Task<RedisServer> StartAsync(ITestOutputHelper? output = null, int? port = null, params string[] extraArguments) =>
        StartOrDisposeAsync(new RedisServer(output, port ?? LoopbackPorts.GetFree(), extraArguments), s => s.StartAsync());

    /// <summary>Starts (or restarts, after <see cref="ServerProcess.Kill"/>) the server on the same port.</summary>
    public async Task StartAsync()
    {
        var arguments = StandardArguments(Port, Directory);
        arguments.AddRange(_extraArguments);
        StartProcess(Executable, arguments);
        await WaitForPingAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>How every test server runs: loopback only, nothing persisted, in the foreground, in its own folder.</summary>
    internal static List<string> StandardArguments(int port, string directory) =>
    [
        "--port", port.ToString(CultureInfo.InvariantCulture),
        "--bind", "127.0.0.1",
        "--save", "",
        "--appendonly", "no",
        "--dir", directory,
        "--daemonize", "no",
        "--protected-mode", "no",
    ];

    private async Task WaitForPingAsync(TimeSpan timeout)
    {
        await WaitForPortAsync(Port, timeout);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if ((await CommandAsync("PING")).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception e) when (e is IOException or SocketException && DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} did not answer PING.\n{ReadLog()}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>
    /// Sends one command straight to this server (not through a proxy) and returns the raw reply
    /// as text. Meant for checks that must bypass the proxy, such as reading one copy of a key.
    /// </summary>
    public Task<string> CommandAsync(params string[] arguments) => RawRedis.CommandAsync(Port, arguments);
}
