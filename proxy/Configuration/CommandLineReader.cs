namespace RedisRing.Proxy.Configuration;

/// <summary>
/// Applies <c>--flag value</c> pairs by <see cref="ProxyOptionTable"/>, left to right, so a later
/// occurrence wins, except that a repeatable option's occurrences add up to one list.
/// </summary>
internal static class CommandLineReader
{
    /// <summary>Not a setting: which file to read first (<see cref="OptionsLoader"/> handles it).</summary>
    public const string ConfigFlag = "--config";

    public static ProxyOptions Apply(IReadOnlyList<string> args, ProxyOptions options)
    {
        var repeated = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                throw new ConfigurationException(OptionsLoader.Usage);
            }

            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ConfigurationException($"unexpected argument '{name}'\n{OptionsLoader.Usage}");
            }

            if (i + 1 >= args.Count)
            {
                throw new ConfigurationException($"{name} needs a value");
            }

            var value = args[++i];
            if (name == ConfigFlag)
            {
                continue;
            }

            if (!ProxyOptionTable.ByFlag.TryGetValue(name, out var definition))
            {
                throw new ConfigurationException($"unknown option '{name}'\n{OptionsLoader.Usage}");
            }

            options = definition.Apply(options, name, Items(definition, value, repeated));
        }

        return options;
    }

    private static string[] Items(ProxyOptionDefinition definition, string value, Dictionary<string, List<string>> repeated)
    {
        if (definition.Type != ProxyOptionType.TextList)
        {
            return [value];
        }

        if (!definition.Repeatable)
        {
            return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        if (!repeated.TryGetValue(definition.Name, out var items))
        {
            repeated[definition.Name] = items = [];
        }

        items.Add(value);
        return [.. items];
    }
}
