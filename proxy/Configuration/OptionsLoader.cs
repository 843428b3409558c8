namespace RedisRing.Proxy.Configuration;

/// <summary>
/// Builds <see cref="ProxyOptions"/> from an optional JSON file (--config), then the environment,
/// then the command line, each overriding the one before; every setting is defined once in
/// <see cref="ProxyOptionTable"/> and documented in docs/configuration.md. Any bad value is a
/// <see cref="ConfigurationException"/> naming the setting.
/// </summary>
internal static class OptionsLoader
{
    public static string Usage => UsageText.Text;

    public static ProxyOptions Load(IReadOnlyList<string> args) => Load(args, Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="Load(IReadOnlyList{string})"/> with the environment given, for tests.</summary>
    public static ProxyOptions Load(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var options = new ProxyOptions();
        var configIndex = IndexOf(args, CommandLineReader.ConfigFlag);
        if (configIndex >= 0)
        {
            if (configIndex + 1 >= args.Count)
            {
                throw new ConfigurationException("--config needs a file path");
            }

            options = ConfigFileReader.Apply(args[configIndex + 1], options);
        }

        options = EnvironmentReader.Apply(environment, options);
        options = CommandLineReader.Apply(args, options);
        ProxyOptionsValidator.Validate(options);
        return options;
    }

    private static int IndexOf(IReadOnlyList<string> args, string name)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
