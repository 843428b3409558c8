namespace RedisRing.Ringctl;

/// <summary>
/// What ringctl's exit status means, the same for every command, so scripts can branch on it
/// (docs/ringctl.md, "Exit codes"). The registrar's forwarded commands fold them into its own
/// three (<c>RegistrarExitCodes</c> in registrar/).
/// </summary>
public static class ExitCodes
{
    /// <summary>Done; for check and where: every copy present and equal.</summary>
    public const int Ok = 0;

    /// <summary>check or where found copies missing, differing or unreadable.</summary>
    public const int Divergence = 1;

    /// <summary>Bad command line: unknown command or option, bad value, missing required option.</summary>
    public const int Usage = 2;

    /// <summary>ZooKeeper did not give a session within the connect timeout.</summary>
    public const int ZooKeeperUnreachable = 3;

    /// <summary>No such cluster in this ZooKeeper (no <c>/redisring/&lt;cluster&gt;</c>).</summary>
    public const int UnknownCluster = 4;

    /// <summary>ZooKeeper refused the credential: a wrong user or password (digest ACLs), or one without the rights the command needs.</summary>
    public const int AuthFailed = 5;

    /// <summary>The change was refused: not a member, wrong state, not live, changed meanwhile, cluster exists.</summary>
    public const int Refused = 6;

    /// <summary>A followed warm-up, drain or registration did not end within <c>--timeout-s</c>.</summary>
    public const int Timeout = 7;

    /// <summary>Anything else that went wrong (a failure the tool did not foresee); the message says what.</summary>
    public const int Failed = 8;
}
