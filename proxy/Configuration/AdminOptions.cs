using System.Net;

namespace RedisRing.Proxy.Configuration;

/// <summary>
/// The admin HTTP port (proxy/Admin: /metrics, /healthz, /api/ring, the dashboard): off unless
/// <see cref="Listen"/> is set, and loopback only unless <see cref="AllowRemote"/> says otherwise,
/// since it has no authentication of its own.
/// </summary>
internal sealed record AdminOptions
{
    /// <summary>Where the admin port listens; null: no admin port.</summary>
    public IPEndPoint? Listen { get; init; }

    /// <summary>Whether a non-loopback <see cref="Listen"/> address is accepted.</summary>
    public bool AllowRemote { get; init; }
}
