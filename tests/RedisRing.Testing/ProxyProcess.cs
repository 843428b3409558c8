using System.Globalization;
using Xunit.Abstractions;

namespace RedisRing.Testing;

/// <summary>A real redisring-proxy process on a free loopback port.</summary>
public sealed class ProxyProcess : ServerProcess
{
    private readonly IReadOnlyList<string> _arguments;
    private readonly IDictionary<string, string>? _environment;

    private ProxyProcess(ITestOutputHelper? output, int port, IReadOnlyList<string> arguments, IDictionary<string, string>? environment)
        : base($"proxy-{port}", output)
    {
        Port = port;
        _arguments = arguments;
        _environment = environment;
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>The static-mode state file this proxy keeps, unless the test chose one.</summary>
    public string StateFilePath => Path.Combine(Directory, "state.json");

    /// <summary>
    /// Starts the proxy with <c>--listen 127.0.0.1:port</c> plus the given arguments
    /// (for example <c>--node 127.0.0.1:7001 --replicas 2</c>).
    /// </summary>
    public static Task<ProxyProcess> StartAsync(ITestOutputHelper? output, IEnumerable<string> arguments, int? port = null,
        IDictionary<string, string>? environment = null) =>
        StartOrDisposeAsync(new ProxyProcess(output, port ?? LoopbackPorts.GetFree(), arguments.ToList(), environment), p => p.StartAsync());

    /// <summary>Starts (or restarts after a kill) the proxy on the same port.</summary>
    public async Task StartAsync()
    {
        var arguments = new List<string> { RepositoryPaths.BuiltDll("proxy", "redisring-proxy"), "--listen", "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture) };
        if (!_arguments.Contains("--state-file"))
        {
            // The state file lives with this process (kept across its restarts, never shared
            // with a later test that gets the same port).
            arguments.AddRange(["--state-file", StateFilePath]);
        }

        arguments.AddRange(_arguments);
        StartProcess("dotnet", arguments, _environment);
        // QUIT: the proxy has ended the probe's session (and stopped counting it as a client) by
        // the time it closes the connection.
        await WaitForPortAsync(Port, TimeSpan.FromSeconds(30), "QUIT\r\n"u8.ToArray());
    }
}
