using System.Globalization;
using System.Net;
using RedisRing.Proxy.Commands;

namespace RedisRing.Proxy.Configuration;

/// <summary>
/// The custom parse functions of <see cref="ProxyOptionTable"/> entries whose value is more than
/// a string or a number: addresses, the hash tag, the admin command list, the ZooKeeper group.
/// </summary>
internal static class ProxyOptionParsers
{
    /// <summary>The ZooKeeper settings given so far, or an empty set to fill in (checked by <see cref="ProxyOptionsValidator"/>).</summary>
    public static ZooKeeperOptions ZooKeeperOf(ProxyOptions options) =>
        options.ZooKeeper ?? new ZooKeeperOptions { ConnectString = "", Cluster = "", Credential = "" };

    public static ProxyOptions WithZooKeeper(ProxyOptions options, Func<ZooKeeperOptions, ZooKeeperOptions> change) =>
        options with { ZooKeeper = change(ZooKeeperOf(options)) };

    /// <summary>Users in ACL SETUSER syntax; a bad one is named without repeating its hashes.</summary>
    public static IReadOnlyList<Acl.AclUser> Users(IEnumerable<string> definitions)
    {
        var users = new List<Acl.AclUser>();
        foreach (var definition in definitions)
        {
            var user = Acl.AclRuleParser.TryParse(definition, out var error) ?? throw new ConfigurationException($"--user: {error}");
            if (users.Any(u => u.Name == user.Name))
            {
                throw new ConfigurationException($"--user: user '{user.Name}' is defined twice");
            }

            users.Add(user);
        }

        return users;
    }

    public static IReadOnlySet<string> AdminCommands(IEnumerable<string> names)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in names)
        {
            var name = raw.Trim().ToUpperInvariant().Replace(' ', '|');
            if (!CommandTable.AdminCommands.Contains(name))
            {
                throw new ConfigurationException($"'{raw}' is not an administrative command that can be enabled; choose from {string.Join(", ", CommandTable.AdminCommands.Order(StringComparer.Ordinal))}");
            }

            set.Add(name);
        }

        return set;
    }

    public static RepairMode RepairMode(string value) => value switch
    {
        "auto" => Configuration.RepairMode.Auto,
        "manual" => Configuration.RepairMode.Manual,
        "off" => Configuration.RepairMode.Off,
        _ => throw new ConfigurationException($"repair must be auto, manual or off, not '{value}'"),
    };

    public static string HashTag(string value)
    {
        if (value is "" or "none")
        {
            return "";
        }

        if (value.Length != 2)
        {
            throw new ConfigurationException($"hash tag '{value}' must be two characters, e.g. {{}}, or 'none'");
        }

        return value;
    }

    public static IPEndPoint EndPoint(string value, bool allowPortZero = false)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 0 or > 65535 || (port == 0 && !allowPortZero))
        {
            throw new ConfigurationException($"bad listen address '{value}': expected HOST:PORT");
        }

        var host = value[..colon].Trim('[', ']');
        if (host is "localhost")
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            throw new ConfigurationException($"bad listen address '{value}': host must be an IP address");
        }

        return new IPEndPoint(address, port);
    }

    public static TlsAuthClients TlsAuthClients(string value) => value switch
    {
        "no" => Configuration.TlsAuthClients.No,
        "optional" => Configuration.TlsAuthClients.Optional,
        "yes" => Configuration.TlsAuthClients.Yes,
        _ => throw new ConfigurationException($"tlsAuthClients must be no, optional or yes, not '{value}'"),
    };

    public static bool YesNo(string name, string value) => value switch
    {
        "yes" => true,
        "no" => false,
        _ => throw new ConfigurationException($"{name} must be yes or no, not '{value}'"),
    };
}
