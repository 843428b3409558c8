namespace RedisRing.Proxy.Backends;

/// <summary>
/// Finds a live copy of a key on another node, for replaying the writes a node missed (hinted
/// handoff). The routing layer implements it from the ring in service, so that backends never
/// depend on the ring themselves.
/// </summary>
internal interface IReadableCopyFinder
{
    /// <summary>The first readable copy of <paramref name="key"/> other than <paramref name="except"/>, or null.</summary>
    BackendNode? FindReadableCopy(ReadOnlySpan<byte> key, BackendNode except);
}
