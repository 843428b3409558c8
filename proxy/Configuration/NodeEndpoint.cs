using System.Globalization;

namespace RedisRing.Proxy.Configuration;

/// <summary>A backend Redis node as configured: "host:port[:weight] [name]", as in twemproxy.</summary>
internal sealed record NodeEndpoint(string Host, int Port, int Weight, string? Name)
{
    /// <summary>The name hashed onto the ring, by twemproxy's rule (explicit name, else "host:port", or "host" for port 11211).</summary>
    public string RingName => RedisRing.Ring.RingNode.FromEndpoint(Host, Port, Weight, Name).Name;

    public string Address => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static NodeEndpoint Parse(string text)
    {
        var trimmed = text.Trim();
        string? name = null;
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0)
        {
            name = trimmed[(space + 1)..].Trim();
            trimmed = trimmed[..space];
        }

        var parts = trimmed.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0)
        {
            throw new ConfigurationException($"bad node '{text}': expected host:port[:weight] [name]");
        }

        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new ConfigurationException($"bad node '{text}': port must be 1-65535");
        }

        var weight = 1;
        if (parts.Length == 3 && (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out weight) || weight < 1))
        {
            throw new ConfigurationException($"bad node '{text}': weight must be a positive integer");
        }

        return new NodeEndpoint(parts[0], port, weight, string.IsNullOrEmpty(name) ? null : name);
    }
}
