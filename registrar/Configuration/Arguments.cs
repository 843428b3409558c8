using System.Globalization;

namespace RedisRing.Registrar.Configuration;

/// <summary>
/// <c>--name value</c> pairs (repeatable) with environment fallbacks for secrets, so passwords
/// need not appear in the process list.
/// </summary>
internal sealed class Arguments
{
    /// <summary>Options that take no value: present or not.</summary>
    private static readonly HashSet<string> s_flags = new(StringComparer.Ordinal) { "--follow" };

    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flagsGiven = new(StringComparer.Ordinal);
    private readonly Func<string, string?> _environment;

    public Arguments(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        _environment = environment;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length < 3)
            {
                throw new ConfigurationException($"unexpected argument '{name}'");
            }

            if (s_flags.Contains(name))
            {
                _flagsGiven.Add(name);
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ConfigurationException($"{name} needs a value");
            }

            if (!_values.TryGetValue(name, out var list))
            {
                _values[name] = list = [];
            }

            list.Add(args[++i]);
        }
    }

    /// <summary>Whether a value-less option was given.</summary>
    public bool Flag(string name) => _flagsGiven.Contains(name);

    public string? Optional(string name, string? environmentVariable = null)
    {
        if (_values.TryGetValue(name, out var list))
        {
            return list[^1];
        }

        return environmentVariable is null ? null : _environment(environmentVariable) is { Length: > 0 } value ? value : null;
    }

    public string Required(string name, string? environmentVariable = null) =>
        Optional(name, environmentVariable)
        ?? throw new ConfigurationException(environmentVariable is null ? $"{name} is required" : $"{name} (or {environmentVariable}) is required");

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public int Integer(string name, int defaultValue, int min, int max)
    {
        var text = Optional(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ConfigurationException($"{name} must be an integer in {min}..{max}");
        }

        return value;
    }

    /// <summary>Fails on any option not in <paramref name="known"/>, so a typo never goes unnoticed.</summary>
    public void RejectUnknown(params string[] known)
    {
        foreach (var name in _values.Keys.Concat(_flagsGiven))
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                throw new ConfigurationException($"unknown option {name}");
            }
        }
    }
}
