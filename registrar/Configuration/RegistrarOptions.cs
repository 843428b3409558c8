using RedisRing.Membership;

namespace RedisRing.Registrar.Configuration;

/// <summary>Settings of the <c>run</c> command (docs/zookeeper.md, "Registrar").</summary>
internal sealed class RegistrarOptions
{
    public required NodeAddress Redis { get; init; }

    /// <summary>The admin HTTP port (/metrics, /healthz; registrar/Admin); null: off.</summary>
    public System.Net.IPEndPoint? AdminListen { get; init; }

    /// <summary>The address announced in the ring (proxies connect to it); defaults to <see cref="Redis"/>.</summary>
    public required NodeAddress Advertise { get; init; }

    public string? RedisPassword { get; init; }

    public required string ZooKeeper { get; init; }

    public required ClusterLayout Layout { get; init; }

    public required DigestCredential ClusterCredential { get; init; }

    public int Weight { get; init; } = 1;

    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A probe with no complete answer within this time fails.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Failing this long (or refusing connections once) deletes the liveness znode.</summary>
    public TimeSpan UnhealthyAfter { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>On SIGTERM, take the node out of the ring (<c>leaving</c>, then the member deleted) instead of only stopping being live.</summary>
    public bool Leave { get; init; }

    /// <summary>With <see cref="Leave"/>: how long the node stays <c>leaving</c> before its member is deleted.</summary>
    public TimeSpan LeaveDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// On SIGTERM, drain: the member goes <c>leaving</c> and the proxies' repairer copies its keys
    /// to their future owners, then removes it; the registrar waits for that (at most <see cref="DrainTimeout"/>).
    /// </summary>
    public bool Drain { get; init; }

    /// <summary>With <see cref="Drain"/>: the longest wait for the removal; the drain goes on without the registrar after it.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
