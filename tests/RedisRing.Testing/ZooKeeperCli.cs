using System.Diagnostics;

namespace RedisRing.Testing;

/// <summary>
/// ZooKeeper's own command-line client (zkCli.sh from Debian's zookeeper package), to check what
/// our client writes with an independent implementation.
/// </summary>
public static class ZooKeeperCli
{
    public const string Script = "/usr/share/zookeeper/bin/zkCli.sh";

    /// <summary>Runs one command (for example <c>get /a</c>) against a server and returns its output.</summary>
    public static async Task<string> RunAsync(string server, params string[] command)
    {
        var info = new ProcessStartInfo(Script)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-server");
        info.ArgumentList.Add(server);
        foreach (var argument in command)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("zkCli.sh did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"zkCli.sh {string.Join(' ', command)} did not finish.\n{await error}");
        }

        return await output + await error;
    }
}
