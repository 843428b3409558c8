namespace RedisRing.Proxy.Backends;

/// <summary>A backend node as this proxy sees it.</summary>
internal enum BackendState
{
    /// <summary>Not connected; writes are remembered as hints, reads go to other copies.</summary>
    Down,

    /// <summary>Connected and replaying the writes it missed: takes writes, serves no reads.</summary>
    CatchingUp,

    /// <summary>Restarted or missed more writes than the hint buffer holds: takes writes, serves no reads until repaired.</summary>
    NeedsRepair,

    /// <summary>Connected and complete: serves reads and writes.</summary>
    Up,
}
