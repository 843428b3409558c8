namespace RedisRing.Registrar.Configuration;

/// <summary>Reads <see cref="RegistrarOptions"/> from the <c>run</c> command's options.</summary>
internal static class RegistrarOptionsLoader
{
    public static RegistrarOptions Load(IReadOnlyList<string> argv, Func<string, string?> environment)
    {
        var args = new Arguments(argv, environment);
        args.RejectUnknown(CommonOptions.ZooKeeperOption, CommonOptions.ClusterOption, CommonOptions.AuthOption, "--redis", "--redis-password",
            "--advertise", "--weight", "--check-interval-ms", "--check-timeout-ms", "--unhealthy-after-ms", "--session-timeout-ms", "--on-stop", "--leave-delay-ms", "--drain-timeout-s",
            "--admin-listen", "--admin-allow-remote");
        var common = CommonOptions.From(args);
        var redis = CommonOptions.Address("--redis", args.Required("--redis"));
        return new RegistrarOptions
        {
            ZooKeeper = common.ZooKeeper,
            Layout = common.Layout,
            ClusterCredential = common.ClusterCredential,
            Redis = redis,
            AdminListen = AdminListen(args),
            Advertise = args.Optional("--advertise") is { } advertise ? CommonOptions.Address("--advertise", advertise) : redis,
            RedisPassword = args.Optional("--redis-password", "REDISRING_REDIS_PASSWORD"),
            Weight = args.Integer("--weight", 1, 1, Membership.NodeRecord.MaxWeight),
            CheckInterval = TimeSpan.FromMilliseconds(args.Integer("--check-interval-ms", 250, 10, 60_000)),
            CheckTimeout = TimeSpan.FromMilliseconds(args.Integer("--check-timeout-ms", 500, 10, 60_000)),
            UnhealthyAfter = TimeSpan.FromMilliseconds(args.Integer("--unhealthy-after-ms", 1000, 0, 600_000)),
            SessionTimeout = TimeSpan.FromMilliseconds(args.Integer("--session-timeout-ms", 4000, 200, 60_000)),
            Leave = OnStop(args) == "leave",
            Drain = OnStop(args) == "drain",
            DrainTimeout = TimeSpan.FromSeconds(args.Integer("--drain-timeout-s", 600, 1, 86_400)),
            LeaveDelay = TimeSpan.FromMilliseconds(args.Integer("--leave-delay-ms", 300, 0, 60_000)),
        };
    }

    /// <summary>The admin port's address: loopback unless <c>--admin-allow-remote yes</c>, since it has no authentication.</summary>
    private static System.Net.IPEndPoint? AdminListen(Arguments args)
    {
        if (args.Optional("--admin-listen", "REDISRING_ADMIN_LISTEN") is not { } text)
        {
            return null;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !System.Net.IPAddress.TryParse(text[..colon].Trim('[', ']'), out var address)
            || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new ConfigurationException($"--admin-listen '{text}': expected IP:PORT");
        }

        var allowRemote = (args.Optional("--admin-allow-remote") ?? "no") switch
        {
            "yes" => true,
            "no" => false,
            var other => throw new ConfigurationException($"--admin-allow-remote must be yes or no, not '{other}'"),
        };
        if (!System.Net.IPAddress.IsLoopback(address) && !allowRemote)
        {
            throw new ConfigurationException($"--admin-listen {text} is not a loopback address: the admin port has no authentication; give --admin-allow-remote yes to serve it there anyway");
        }

        return new System.Net.IPEndPoint(address, port);
    }

    private static string OnStop(Arguments args) => (args.Optional("--on-stop") ?? "down") switch
    {
        "down" => "down",
        "leave" => "leave",
        "drain" => "drain",
        var other => throw new ConfigurationException($"--on-stop must be down, leave or drain, not '{other}'"),
    };
}
