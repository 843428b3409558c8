using System.Globalization;
using System.Net;
using System.Text.Json;
using RedisRing.Proxy.Commands;

namespace RedisRing.Proxy.Configuration;

/// <summary>
/// Builds <see cref="ProxyOptions"/> from an optional JSON file (--config) and command-line
/// overrides; the format is documented in docs/configuration.md. Any bad value is a
/// <see cref="ConfigurationException"/> naming the setting.
/// </summary>
internal static class OptionsLoader
{
    public const string Usage = """
        usage: redisring-proxy [--config FILE] [options]
          --listen HOST:PORT              address to accept clients on (default 127.0.0.1:6380)
          --node HOST:PORT[:WEIGHT][ NAME] a backend Redis node; repeat for each node
          --zookeeper CONNECT             take the nodes from ZooKeeper instead (host:port,host:port...)
          --cluster NAME                  cluster name under /redisring (with --zookeeper)
          --zk-auth USER:PASS             the cluster's proxy credential (or env REDISRING_ZK_PROXY_AUTH)
          --zk-session-timeout-ms N       ZooKeeper session timeout (default 4000)
          --ring-debounce-ms N            membership changes closer than this make one ring change (default 100)
          --announce HOST:PORT            address published under proxies/ (default: the listen address)
          --replicas N                    copies of every key (default 2)
          --hash-tag XY | none            hash tag delimiters (default {})
          --password PASS                 require AUTH from clients (or env REDISRING_PASSWORD)
          --backend-password PASS         AUTH sent to backends (or env REDISRING_BACKEND_PASSWORD)
          --allow-admin CMD[,CMD...]      enable administrative commands, e.g. FLUSHALL,CONFIG|SET
          --connect-timeout-ms N          backend connect timeout (default 1000)
          --command-timeout-ms N          backend reply timeout before failover (default 1000)
          --client-idle-timeout-s N       close idle clients after N seconds (default 0 = never)
          --max-clients N                 (default 10000)
          --max-pending-per-backend N     (default 100000)
          --max-pipeline N                requests of one client in flight (default 1024)
          --max-hinted-keys N             hinted-handoff keys kept per node (default 100000)
          --max-bulk-length N  --max-array-length N  --max-inline-length N  --max-request-length N
        """;

    public static ProxyOptions Load(IReadOnlyList<string> args)
    {
        var options = new ProxyOptions();
        var configIndex = IndexOf(args, "--config");
        if (configIndex >= 0)
        {
            if (configIndex + 1 >= args.Count)
            {
                throw new ConfigurationException("--config needs a file path");
            }

            options = LoadFile(args[configIndex + 1], options);
        }

        options = ApplyEnvironment(options);
        options = ApplyArguments(args, options);
        Validate(options);
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

    private static ProxyOptions ApplyEnvironment(ProxyOptions options)
    {
        if (Environment.GetEnvironmentVariable("REDISRING_PASSWORD") is { Length: > 0 } password)
        {
            options = options with { Password = password };
        }

        if (Environment.GetEnvironmentVariable("REDISRING_BACKEND_PASSWORD") is { Length: > 0 } backend)
        {
            options = options with { BackendPassword = backend };
        }

        if (Environment.GetEnvironmentVariable("REDISRING_ZK_PROXY_AUTH") is { Length: > 0 } credential)
        {
            options = options with { ZooKeeper = ZooKeeperOf(options) with { Credential = credential } };
        }

        return options;
    }

    private static ProxyOptions LoadFile(string path, ProxyOptions options)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ConfigurationException($"cannot read config file {path}: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationException($"config file {path}: the top level must be an object");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                options = Apply(options, property.Name, property.Value, path);
            }
        }

        return options;
    }

    private static ProxyOptions Apply(ProxyOptions options, string name, JsonElement value, string path)
    {
        string Text() => value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new ConfigurationException($"{path}: '{name}' must be a string");
        int Number() => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : throw new ConfigurationException($"{path}: '{name}' must be an integer");
        long Long() => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : throw new ConfigurationException($"{path}: '{name}' must be an integer");
        string[] Strings() => value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new ConfigurationException($"{path}: '{name}' must be an array of strings")).ToArray()
            : throw new ConfigurationException($"{path}: '{name}' must be an array of strings");

        return name switch
        {
            "listen" => options with { Listen = ParseEndPoint(Text()) },
            "nodes" => options with { Nodes = Strings().Select(NodeEndpoint.Parse).ToArray() },
            "replicas" => options with { Replicas = Number() },
            "hashTag" => options with { HashTag = ParseHashTag(Text()) },
            "password" => options with { Password = Text() },
            "backendPassword" => options with { BackendPassword = Text() },
            "allowAdminCommands" => options with { AllowAdminCommands = ParseAdmin(Strings()) },
            "connectTimeoutMs" => options with { ConnectTimeout = TimeSpan.FromMilliseconds(Positive(name, Number())) },
            "commandTimeoutMs" => options with { CommandTimeout = TimeSpan.FromMilliseconds(Positive(name, Number())) },
            "clientIdleTimeoutSeconds" => options with { ClientIdleTimeout = TimeSpan.FromSeconds(Number()) },
            "maxClients" => options with { MaxClients = Positive(name, Number()) },
            "maxPendingPerBackend" => options with { MaxPendingPerBackend = Positive(name, Number()) },
            "maxPipelinePerClient" => options with { MaxPipelinePerClient = Positive(name, Number()) },
            "maxHintedKeysPerNode" => options with { MaxHintedKeysPerNode = Number() },
            "maxBulkLength" => options with { Limits = options.Limits with { MaxBulkLength = Positive(name, Long()) } },
            "maxArrayLength" => options with { Limits = options.Limits with { MaxArrayLength = Positive(name, Number()) } },
            "maxInlineLength" => options with { Limits = options.Limits with { MaxInlineLength = Positive(name, Number()) } },
            "maxRequestLength" => options with { Limits = options.Limits with { MaxRequestLength = Positive(name, Long()) } },
            "zookeeper" => options with { ZooKeeper = ZooKeeperOf(options) with { ConnectString = Text() } },
            "cluster" => options with { ZooKeeper = ZooKeeperOf(options) with { Cluster = Text() } },
            "zkAuth" => options with { ZooKeeper = ZooKeeperOf(options) with { Credential = Text() } },
            "zkSessionTimeoutMs" => options with { ZooKeeper = ZooKeeperOf(options) with { SessionTimeout = TimeSpan.FromMilliseconds(Positive(name, Number())) } },
            "ringDebounceMs" => options with { ZooKeeper = ZooKeeperOf(options) with { Debounce = TimeSpan.FromMilliseconds(Number()) } },
            "announce" => options with { ZooKeeper = ZooKeeperOf(options) with { Announce = Text() } },
            _ => throw new ConfigurationException($"{path}: unknown setting '{name}'"),
        };
    }

    private static ProxyOptions ApplyArguments(IReadOnlyList<string> args, ProxyOptions options)
    {
        var nodes = new List<NodeEndpoint>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                throw new ConfigurationException(Usage);
            }

            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ConfigurationException($"unexpected argument '{name}'\n{Usage}");
            }

            if (i + 1 >= args.Count)
            {
                throw new ConfigurationException($"{name} needs a value");
            }

            var value = args[++i];
            options = name switch
            {
                "--config" => options,
                "--listen" => options with { Listen = ParseEndPoint(value) },
                "--node" => AddNode(options, nodes, value),
                "--replicas" => options with { Replicas = ParseInt(name, value) },
                "--hash-tag" => options with { HashTag = ParseHashTag(value) },
                "--password" => options with { Password = value },
                "--backend-password" => options with { BackendPassword = value },
                "--allow-admin" => options with { AllowAdminCommands = ParseAdmin(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) },
                "--connect-timeout-ms" => options with { ConnectTimeout = TimeSpan.FromMilliseconds(Positive(name, ParseInt(name, value))) },
                "--command-timeout-ms" => options with { CommandTimeout = TimeSpan.FromMilliseconds(Positive(name, ParseInt(name, value))) },
                "--client-idle-timeout-s" => options with { ClientIdleTimeout = TimeSpan.FromSeconds(ParseInt(name, value)) },
                "--max-clients" => options with { MaxClients = Positive(name, ParseInt(name, value)) },
                "--max-pending-per-backend" => options with { MaxPendingPerBackend = Positive(name, ParseInt(name, value)) },
                "--max-pipeline" => options with { MaxPipelinePerClient = Positive(name, ParseInt(name, value)) },
                "--max-hinted-keys" => options with { MaxHintedKeysPerNode = ParseInt(name, value) },
                "--max-bulk-length" => options with { Limits = options.Limits with { MaxBulkLength = Positive(name, ParseLong(name, value)) } },
                "--max-array-length" => options with { Limits = options.Limits with { MaxArrayLength = Positive(name, ParseInt(name, value)) } },
                "--max-inline-length" => options with { Limits = options.Limits with { MaxInlineLength = Positive(name, ParseInt(name, value)) } },
                "--max-request-length" => options with { Limits = options.Limits with { MaxRequestLength = Positive(name, ParseLong(name, value)) } },
                "--zookeeper" => options with { ZooKeeper = ZooKeeperOf(options) with { ConnectString = value } },
                "--cluster" => options with { ZooKeeper = ZooKeeperOf(options) with { Cluster = value } },
                "--zk-auth" => options with { ZooKeeper = ZooKeeperOf(options) with { Credential = value } },
                "--zk-session-timeout-ms" => options with { ZooKeeper = ZooKeeperOf(options) with { SessionTimeout = TimeSpan.FromMilliseconds(Positive(name, ParseInt(name, value))) } },
                "--ring-debounce-ms" => options with { ZooKeeper = ZooKeeperOf(options) with { Debounce = TimeSpan.FromMilliseconds(NotNegative(name, ParseInt(name, value))) } },
                "--announce" => options with { ZooKeeper = ZooKeeperOf(options) with { Announce = value } },
                _ => throw new ConfigurationException($"unknown option '{name}'\n{Usage}"),
            };
        }

        return options;
    }

    private static ProxyOptions AddNode(ProxyOptions options, List<NodeEndpoint> nodes, string value)
    {
        // Nodes given on the command line replace the file's list as a whole.
        nodes.Add(NodeEndpoint.Parse(value));
        return options with { Nodes = nodes.ToArray() };
    }

    /// <summary>The ZooKeeper settings given so far, or an empty set to fill in (checked by <see cref="Validate"/>).</summary>
    private static ZooKeeperOptions ZooKeeperOf(ProxyOptions options) =>
        options.ZooKeeper ?? new ZooKeeperOptions { ConnectString = "", Cluster = "", Credential = "" };

    private static void Validate(ProxyOptions options)
    {
        if (options.ZooKeeper is { } zookeeper)
        {
            ValidateZooKeeper(options, zookeeper);
        }
        else if (options.Nodes.Count == 0)
        {
            throw new ConfigurationException("no backend nodes: give --node HOST:PORT (repeatable) or \"nodes\" in the config file");
        }

        if (options.Replicas < 1)
        {
            throw new ConfigurationException("replicas must be at least 1");
        }

        var duplicate = options.Nodes.GroupBy(n => n.RingName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ConfigurationException($"node '{duplicate.Key}' is listed twice");
        }

        if (options.Limits.MaxBulkLength > options.Limits.MaxRequestLength)
        {
            throw new ConfigurationException("maxBulkLength cannot exceed maxRequestLength");
        }
    }

    private static void ValidateZooKeeper(ProxyOptions options, ZooKeeperOptions zookeeper)
    {
        if (zookeeper.ConnectString.Length == 0)
        {
            throw new ConfigurationException("--cluster, --zk-auth and the other ZooKeeper settings need --zookeeper HOST:PORT[,HOST:PORT...]");
        }

        if (options.Nodes.Count > 0)
        {
            throw new ConfigurationException("give either --node (a static node list) or --zookeeper (nodes from ZooKeeper), not both");
        }

        if (zookeeper.Cluster.Length == 0)
        {
            throw new ConfigurationException("--zookeeper needs --cluster NAME");
        }

        if (!RedisRing.Membership.ClusterLayout.IsValidClusterName(zookeeper.Cluster))
        {
            throw new ConfigurationException($"bad cluster name '{zookeeper.Cluster}': 1-64 characters among letters, digits, '-', '_', '.'");
        }

        if (zookeeper.Credential.Length == 0)
        {
            throw new ConfigurationException("--zookeeper needs the cluster's proxy credential: --zk-auth USER:PASS or env REDISRING_ZK_PROXY_AUTH");
        }

        if (zookeeper.Credential.IndexOf(':', StringComparison.Ordinal) <= 0)
        {
            // The value is a secret: say what is wrong without echoing it.
            throw new ConfigurationException("the ZooKeeper credential must be USER:PASS");
        }

        if (zookeeper.Announce is { } announce && !RedisRing.Membership.NodeAddress.TryParse(announce, out _, out var error))
        {
            throw new ConfigurationException($"bad --announce address: {error}");
        }
    }

    private static int NotNegative(string name, int value) => value >= 0 ? value : throw new ConfigurationException($"{name} cannot be negative");

    private static IReadOnlySet<string> ParseAdmin(IEnumerable<string> names)
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

    private static string ParseHashTag(string value)
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

    private static IPEndPoint ParseEndPoint(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
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

    private static int ParseInt(string name, string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw new ConfigurationException($"{name} must be an integer, not '{value}'");

    private static long ParseLong(string name, string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw new ConfigurationException($"{name} must be an integer, not '{value}'");

    private static int Positive(string name, int value) => value > 0 ? value : throw new ConfigurationException($"{name} must be positive");

    private static long Positive(string name, long value) => value > 0 ? value : throw new ConfigurationException($"{name} must be positive");
}
