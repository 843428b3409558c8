namespace RedisRing.Proxy.Configuration;

/// <summary>
/// Applies the environment variables of <see cref="ProxyOptionTable"/> (the secrets, so they need
/// not appear in the process list); an empty variable counts as unset.
/// </summary>
internal static class EnvironmentReader
{
    public static ProxyOptions Apply(Func<string, string?> environment, ProxyOptions options)
    {
        foreach (var definition in ProxyOptionTable.All)
        {
            if (definition.EnvironmentVariable is { } variable && environment(variable) is { Length: > 0 } value)
            {
                options = definition.Apply(options, variable, [value]);
            }
        }

        return options;
    }
}
