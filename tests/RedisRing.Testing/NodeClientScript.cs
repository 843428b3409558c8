using System.Diagnostics;
using Xunit.Abstractions;

namespace RedisRing.Testing;

/// <summary>What a script in tests/node-clients printed and how it ended.</summary>
public sealed record NodeClientResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The script's result: the last line of its standard output (one JSON object).</summary>
    public string Json => Stdout.TrimEnd().Split('\n')[^1];
}

/// <summary>
/// Runs a script of tests/node-clients (third-party Node.js clients, ioredis and node-redis, with
/// default options) against a server on loopback. The packages are installed by
/// scripts/test.d/node-clients.sh. The script gets REDIS_HOST, REDIS_PORT, REDIS_PASSWORD and any
/// extra environment; it prints one JSON line and exits 0, or prints its error and exits 1.
/// </summary>
public static class NodeClientScript
{
    public static string Folder { get; } = Path.Combine(RepositoryPaths.Root, "tests", "node-clients");

    public static async Task<NodeClientResult> RunAsync(
        string script, int port, ITestOutputHelper? output, TimeSpan? timeout = null, string? password = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules")))
        {
            throw new InvalidOperationException($"{Folder}/node_modules is missing: run scripts/test.d/node-clients.sh (scripts/test.sh does).");
        }

        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var info = new ProcessStartInfo("node", [Path.Combine(Folder, script)])
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["REDIS_HOST"] = "127.0.0.1";
        info.Environment["REDIS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["SCRIPT_TIMEOUT_MS"] = ((long)limit.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (password is not null)
        {
            info.Environment["REDIS_PASSWORD"] = password;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(limit + TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var result = new NodeClientResult(process.ExitCode, await stdout, await stderr);
        output?.WriteLine($"node {script}: exit {result.ExitCode}\n--- stdout\n{result.Stdout}--- stderr\n{result.Stderr}");
        return result;
    }
}
