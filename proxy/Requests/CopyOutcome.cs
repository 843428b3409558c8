namespace RedisRing.Proxy.Requests;

/// <summary>What one copy of a write answered (docs/consistency.md, "Copy outcomes").</summary>
internal enum CopyOutcome : byte
{
    /// <summary>No answer yet.</summary>
    Pending,

    /// <summary>A reply that is not an error.</summary>
    Success,

    /// <summary>An error about the command or the data (WRONGTYPE, syntax, a script's own error): the same on every equal copy.</summary>
    CommandError,

    /// <summary>An error about the server's state (NOSCRIPT, LOADING, OOM, BUSY, MISCONF, READONLY, MASTERDOWN ...): that copy failed.</summary>
    ServerError,

    /// <summary>The connection failed or the command could not be queued: the node is down and replays hints.</summary>
    Failed,

    /// <summary>No reply within the per-command timeout: the command may still run there.</summary>
    TimedOut,
}
