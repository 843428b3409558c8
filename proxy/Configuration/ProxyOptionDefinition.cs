using System.Globalization;

namespace RedisRing.Proxy.Configuration;

/// <summary>
/// One proxy setting as every source knows it: its name in the config file, its command-line
/// flag, the environment variable that may carry it, its type, rule, default and help. The file
/// reader, the command-line parser and the usage text are all made from
/// <see cref="ProxyOptionTable"/>, so they cannot list different settings or check them differently.
/// </summary>
internal sealed record ProxyOptionDefinition
{
    /// <summary>The property name in the config file; also the name in <see cref="ProxyOptions.ExplicitSettings"/>.</summary>
    public required string Name { get; init; }

    /// <summary>The command-line option, e.g. <c>--max-clients</c>.</summary>
    public required string Flag { get; init; }

    public required ProxyOptionType Type { get; init; }

    /// <summary>What the value looks like in the usage text, e.g. HOST:PORT or N.</summary>
    public required string ValueName { get; init; }

    /// <summary>
    /// The built-in default written as a value this setting accepts (parsing it changes nothing,
    /// which a test checks); null when the default is no value (none, or derived from another setting).
    /// </summary>
    public string? Default { get; init; }

    /// <summary>An environment variable that overrides the file and is overridden by the command line (Text settings only).</summary>
    public string? EnvironmentVariable { get; init; }

    /// <summary>One line for the usage text.</summary>
    public required string Help { get; init; }

    /// <summary>A password or credential: no message built here ever contains its value.</summary>
    public bool Secret { get; init; }

    /// <summary>On the command line each occurrence adds an item (--node) instead of replacing the value.</summary>
    public bool Repeatable { get; init; }

    /// <summary>Integer settings: null when the number is allowed, else why not, put after the setting's name.</summary>
    public Func<long, string?> Check { get; init; } = static _ => null;

    /// <summary>Stores the checked value; may parse it further (addresses, hash tag) and throw <see cref="ConfigurationException"/>.</summary>
    public required Func<ProxyOptions, ProxyOptionValue, ProxyOptions> Set { get; init; }

    /// <summary>
    /// Reads <paramref name="items"/> (one word, or a list's items) by <see cref="Type"/> and
    /// <see cref="Check"/>, stores it and records the setting as given by the user.
    /// </summary>
    /// <param name="source">How messages name the setting where it was given: <c>--replicas</c>, <c>FILE: 'replicas'</c>.</param>
    public ProxyOptions Apply(ProxyOptions options, string source, IReadOnlyList<string> items)
    {
        var value = Type switch
        {
            ProxyOptionType.Text => new ProxyOptionValue(items[0], 0, items),
            ProxyOptionType.Integer => Number(source, items[0], int.MinValue, int.MaxValue),
            ProxyOptionType.LongInteger => Number(source, items[0], long.MinValue, long.MaxValue),
            _ => new ProxyOptionValue("", 0, items),
        };
        var given = new HashSet<string>(options.ExplicitSettings, StringComparer.Ordinal) { Name };
        return Set(options, value) with { ExplicitSettings = given };
    }

    private ProxyOptionValue Number(string source, string text, long min, long max)
    {
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            throw new ConfigurationException(Secret ? $"{source} must be an integer" : $"{source} must be an integer, not '{text}'");
        }

        if (Check(number) is { } error)
        {
            throw new ConfigurationException($"{source} {error}");
        }

        return new ProxyOptionValue(text, number, [text]);
    }
}
