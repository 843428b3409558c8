using System.CommandLine;

namespace RedisRing.Ringctl.Cli;

/// <summary>Gives each command its action with a <see cref="CommandContext"/> made when it runs.</summary>
internal sealed class CommandFactory(Func<ParseResult, CommandContext> context)
{
    public Command Create(string name, string description, Func<CommandContext, CancellationToken, Task<int>> action, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Options.Add(option);
                    break;
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
            }
        }

        command.SetAction((parse, cancellationToken) => action(context(parse), cancellationToken));
        return command;
    }
}
