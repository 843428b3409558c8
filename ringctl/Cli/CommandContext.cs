using System.CommandLine;
using RedisRing.Ringctl.Cluster;
using RedisRing.Ringctl.Output;

namespace RedisRing.Ringctl.Cli;

/// <summary>What a command's action is given: its parsed line, the resolved target, where to write.</summary>
internal sealed class CommandContext(ParseResult parse, GlobalOptions globals, CommandOutput output, Func<string, string?> environment)
{
    public ParseResult Parse { get; } = parse;

    public CommandOutput Output { get; } = output;

    public Func<string, string?> Environment { get; } = environment;

    public Target Target { get; } = globals.Resolve(parse, environment);

    public T Value<T>(Option<T> option) => Parse.GetValue(option)!;

    public Task<ClusterSession> OpenAsync(CancellationToken cancellationToken) => ClusterSession.OpenAsync(Target, cancellationToken);
}
