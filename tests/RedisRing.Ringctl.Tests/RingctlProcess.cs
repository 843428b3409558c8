using System.Diagnostics;
using System.Text.Json;
using RedisRing.Testing;

namespace RedisRing.Ringctl.Tests;

/// <summary>Runs the built ringctl as an operator would, to its end (bounded), with the credential in the environment.</summary>
public static class RingctlProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    public static async Task<Result> RunAsync(IEnumerable<string> arguments, string? zkAuth, int timeoutSeconds = 120)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(RepositoryPaths.BuiltDll("ringctl", "ringctl"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("REDISRING_ZK_AUTH");
        if (zkAuth is not null)
        {
            info.Environment["REDISRING_ZK_AUTH"] = zkAuth;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ringctl {string.Join(' ', arguments)} still running after {timeoutSeconds} s");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
