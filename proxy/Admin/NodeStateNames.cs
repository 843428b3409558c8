using RedisRing.Proxy.Backends;

namespace RedisRing.Proxy.Admin;

/// <summary>The names INFO gives a backend's health, shared by /metrics, /api/ring and the event log.</summary>
internal static class NodeStateNames
{
    public static readonly BackendState[] All = [BackendState.Up, BackendState.Down, BackendState.CatchingUp, BackendState.NeedsRepair];

    public static string Of(BackendState state) => state switch
    {
        BackendState.Up => "up",
        BackendState.Down => "down",
        BackendState.CatchingUp => "catching_up",
        _ => "needs_repair",
    };
}
