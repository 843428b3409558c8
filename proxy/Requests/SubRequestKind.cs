namespace RedisRing.Proxy.Requests;

/// <summary>How one command is carried out on its replica set.</summary>
internal enum SubRequestKind
{
    /// <summary>Sent to the first readable copy; on failure, at once to the next one.</summary>
    Read,

    /// <summary>Sent to every copy; answered with the primary's reply (or the first copy's that answered).</summary>
    Write,

    /// <summary>
    /// A node-dependent command (SPOP, XADD *, XCLAIM, XAUTOCLAIM): runs on one copy, then the
    /// others get an explicit command made from its reply (<see cref="FirstCopyRewrite"/>).
    /// </summary>
    PopThenRemove,
}
