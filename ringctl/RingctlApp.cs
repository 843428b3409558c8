using System.CommandLine;
using RedisRing.Ringctl.Cli;
using RedisRing.Ringctl.Commands;
using RedisRing.Ringctl.Output;
using RedisRing.ZooKeeper;

namespace RedisRing.Ringctl;

/// <summary>
/// ringctl's command tree and the one place where failures become messages and exit codes
/// (<see cref="ExitCodes"/>). Public so that the registrar's cluster subcommands run these
/// commands rather than copies of them.
/// </summary>
public static class RingctlApp
{
    /// <summary>Runs one command line; never throws for a failure the operator can cause.</summary>
    /// <param name="interactive">Whether the output is a terminal (progress bars) rather than a pipe (lines).</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, Func<string, string?> environment,
        bool interactive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        var globals = new GlobalOptions();
        var root = new RootCommand("ringctl: operate a RedisRing cluster whose membership is in ZooKeeper (docs/ringctl.md)");
        globals.AddTo(root);
        CommandOutput? commandOutput = null;
        var factory = new CommandFactory(parse =>
        {
            commandOutput = new CommandOutput(output, error, parse.GetValue(globals.Json), interactive);
            return new CommandContext(parse, globals, commandOutput, environment);
        });
        root.Subcommands.Add(StatusCommand.Create(factory));
        root.Subcommands.Add(RingCommand.Create(factory));
        root.Subcommands.Add(WhereCommand.Create(factory));
        root.Subcommands.Add(CheckCommand.Create(factory));
        root.Subcommands.Add(MemberCommands.Add(factory));
        root.Subcommands.Add(MemberCommands.Promote(factory));
        root.Subcommands.Add(MemberCommands.Drain(factory));
        root.Subcommands.Add(MemberCommands.Remove(factory));
        root.Subcommands.Add(RepairStatusCommand.Create(factory));
        root.Subcommands.Add(CreateClusterCommand.Create(factory));

        var parse = root.Parse(args);
        var json = parse.GetValue(globals.Json);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                await error.WriteLineAsync("ringctl: " + parseError.Message);
            }

            await error.WriteLineAsync("run 'ringctl --help' (or 'ringctl COMMAND --help') for usage");
            return Fail(ExitCodes.Usage, string.Join("; ", parse.Errors.Select(e => e.Message)));
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            }, cancellationToken);
        }
        catch (RingctlException e)
        {
            return Report(e.ExitCode, e.Message);
        }
        catch (Exception e) when (e is NoAuthException or AuthFailedException)
        {
            return Report(ExitCodes.AuthFailed, "ZooKeeper refused the credential: wrong user or password, or one without the rights this command needs");
        }
        catch (Exception e) when (e is ConnectionLossException or SessionExpiredException or RequestTimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return Report(ExitCodes.ZooKeeperUnreachable, $"lost ZooKeeper during the command ({e.Message}); run it again");
        }

        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Report(ExitCodes.Failed, $"{e.GetType().Name}: {e.Message}");
        }

        int Report(int code, string message)
        {
            error.WriteLine("ringctl: " + message);
            return Fail(code, message);
        }

        int Fail(int code, string message)
        {
            if (json)
            {
                // Scripts parsing standard output get a document on failure too.
                var writer = commandOutput ?? new CommandOutput(output, error, json: true, interactive: false);
                writer.Json(new { error = message, exitCode = code });
            }

            return code;
        }
    }
}
