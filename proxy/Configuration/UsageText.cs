using System.Text;

namespace RedisRing.Proxy.Configuration;

/// <summary>The --help text, one line per <see cref="ProxyOptionTable"/> entry.</summary>
internal static class UsageText
{
    /// <summary>Where the help column starts, so short options line up.</summary>
    private const int HelpColumn = 34;

    public static string Text { get; } = Build();

    private static string Build()
    {
        var text = new StringBuilder($"usage: redisring-proxy [{CommandLineReader.ConfigFlag} FILE] [options]");
        foreach (var definition in ProxyOptionTable.All)
        {
            var option = $"  {definition.Flag} {definition.ValueName}";
            text.Append('\n').Append(option.Length < HelpColumn ? option.PadRight(HelpColumn) : option + " ").Append(definition.Help);
            if (definition.Default is { } value)
            {
                text.Append(" (default ").Append(value).Append(')');
            }

            if (definition.EnvironmentVariable is { } variable)
            {
                text.Append(" (or env ").Append(variable).Append(')');
            }
        }

        return text.ToString();
    }
}
