namespace RedisRing.SharedCache.Loading;

/// <summary>
/// Where the records come from (a database, a JSON file...). Only the loader process reads it, so
/// its load does not grow with the number of processes that read the cache.
/// </summary>
public interface ISharedCacheSource
{
    /// <summary>The whole collection, with a cursor to ask for the changes made after it.</summary>
    Task<SourceBatch> LoadAllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The records changed or deleted since <paramref name="cursor"/> (a change stream, an
    /// "updatedAt &gt; cursor" query, a file diff), or null when the source cannot tell from that
    /// cursor: the loader then does a full load.
    /// </summary>
    Task<SourceChanges?> LoadChangesAsync(string? cursor, CancellationToken cancellationToken);

    /// <summary>
    /// Completes when changes may be waiting (a file watch, a change stream event) or after
    /// <paramref name="maxWait"/>, whichever is first. A polling source just waits.
    /// </summary>
    Task WaitForChangesAsync(TimeSpan maxWait, CancellationToken cancellationToken);
}

/// <summary>A full batch and the cursor it was read at.</summary>
public sealed record SourceBatch(IReadOnlyCollection<CacheRecord> Records, string? Cursor);

/// <summary>Incremental changes and the cursor to continue from.</summary>
public sealed record SourceChanges(IReadOnlyList<CacheChange> Changes, string? Cursor);
