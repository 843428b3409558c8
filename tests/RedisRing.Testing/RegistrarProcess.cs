using System.Diagnostics;
using Xunit.Abstractions;

namespace RedisRing.Testing;

/// <summary>
/// A real redisring-registrar sidecar process. The cluster credential goes through the
/// environment (REDISRING_ZK_AUTH), never the command line.
/// </summary>
public sealed class RegistrarProcess : ServerProcess
{
    private readonly IReadOnlyList<string> _arguments;
    private readonly Dictionary<string, string> _environment;

    private RegistrarProcess(ITestOutputHelper? output, string name, IReadOnlyList<string> arguments, string clusterAuth)
        : base(name, output)
    {
        _arguments = arguments;
        _environment = new Dictionary<string, string> { ["REDISRING_ZK_AUTH"] = clusterAuth, ["REDISRING_LOG_LEVEL"] = "Debug" };
    }

    /// <summary>Starts <c>redisring-registrar run</c> with the given options (--redis, --zookeeper, --cluster...).</summary>
    public static RegistrarProcess Start(ITestOutputHelper? output, string redisEndpoint, IEnumerable<string> arguments, string clusterAuth) =>
        StartOrDispose(new RegistrarProcess(output, "registrar-" + redisEndpoint.Replace(':', '-'), ["run", "--redis", redisEndpoint, .. arguments], clusterAuth), r => r.Start());

    /// <summary>Starts (or restarts after a kill) the process with the same options.</summary>
    public void Start() => StartProcess("dotnet", [RepositoryPaths.BuiltDll("registrar", "redisring-registrar"), .. _arguments], _environment);

    /// <summary>Runs a one-shot command (create-cluster, promote) to completion: exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepositoryPaths.BuiltDll("registrar", "redisring-registrar"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
