using RedisRing.Ringctl;

namespace RedisRing.Registrar.Commands;

/// <summary>
/// The registrar's cluster subcommands (create-cluster, promote, remove, drain, check,
/// repair-status), kept for the scripts that call them: each runs ringctl's command of the same
/// name (docs/ringctl.md), with the same options, and folds ringctl's exit codes into the
/// registrar's three: 0 done, 1 refused / divergence / timeout, 2 usage or ZooKeeper problems.
/// </summary>
internal static class ClusterCommands
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "create-cluster", "promote", "remove", "drain", "check", "repair-status",
    };

    public static Task<int> RunAsync(string command, IReadOnlyList<string> rest, CancellationToken stop) =>
        RunAsync(command, rest, Console.Out, Console.Error, !Console.IsOutputRedirected, stop);

    public static async Task<int> RunAsync(string command, IReadOnlyList<string> rest, TextWriter output, TextWriter error, bool interactive, CancellationToken stop)
    {
        var code = await RingctlApp.RunAsync([command, .. rest], output, error, Environment.GetEnvironmentVariable, interactive, stop);
        return code switch
        {
            ExitCodes.Ok => 0,
            ExitCodes.Divergence or ExitCodes.Refused or ExitCodes.Timeout => 1,
            _ => 2,
        };
    }
}
