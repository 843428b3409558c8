using System.Text.Json;
using RedisRing.Testing;

namespace RedisRing.Ringctl.Tests;

/// <summary>Runs the built ringctl as an operator would, to its end (bounded), with the credential in the environment.</summary>
public static class RingctlProcess
{
    public static Task<ToolProcess.Result> RunAsync(IEnumerable<string> arguments, string? zkAuth, int timeoutSeconds = 120) =>
        // The credential comes from the test alone, never from the environment the tests run in.
        ToolProcess.RunSeparatelyAsync(
            "dotnet", [RepositoryPaths.BuiltDll("ringctl", "ringctl"), .. arguments],
            new Dictionary<string, string?> { ["REDISRING_ZK_AUTH"] = zkAuth }, timeoutSeconds: timeoutSeconds);

    extension(ToolProcess.Result result)
    {
        /// <summary>ringctl's <c>--json</c> output.</summary>
        public JsonElement Json => JsonDocument.Parse(result.Stdout).RootElement;
    }
}
