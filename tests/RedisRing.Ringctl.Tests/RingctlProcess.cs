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
        // The credential comes from the test alone, never from the environment the tests run in.
        var run = await ToolProcess.RunSeparatelyAsync(
            "dotnet", [RepositoryPaths.BuiltDll("ringctl", "ringctl"), .. arguments],
            new Dictionary<string, string?> { ["REDISRING_ZK_AUTH"] = zkAuth }, timeoutSeconds: timeoutSeconds);
        return new Result(run.ExitCode, run.Stdout, run.Stderr);
    }
}
