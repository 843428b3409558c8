namespace RedisRing.Resp;

/// <summary>
/// Protocol limits, checked while scanning so that no frame can make the proxy buffer more than
/// these bounds. The defaults are Redis's own (proto-max-bulk-len, PROTO_INLINE_MAX_SIZE).
/// </summary>
public sealed record RespLimits
{
    public static RespLimits Default { get; } = new();

    /// <summary>Largest bulk string in a request, in bytes (Redis: proto-max-bulk-len, 512 MB).</summary>
    public long MaxBulkLength { get; init; } = 512L * 1024 * 1024;

    /// <summary>Most arguments in one request (Redis accepts up to INT_MAX; a proxy must bound memory).</summary>
    public int MaxArrayLength { get; init; } = 1024 * 1024;

    /// <summary>Longest inline command line (Redis: PROTO_INLINE_MAX_SIZE, 64 KB).</summary>
    public int MaxInlineLength { get; init; } = 64 * 1024;

    /// <summary>Largest whole request frame, in bytes (Redis: client-query-buffer-limit, 1 GB).</summary>
    public long MaxRequestLength { get; init; } = 1024L * 1024 * 1024;

    /// <summary>
    /// These are the limits of a client that has not authenticated yet. Redis names a request over
    /// them differently ("unauthenticated multibulk length", "unauthenticated bulk length"), so
    /// that the client can tell it must AUTH first rather than that its request is malformed.
    /// </summary>
    public bool BeforeAuth { get; init; }
}
