namespace RedisRing.Ring;

/// <summary>How keys are placed: how many copies, and which part of a key is hashed.</summary>
public sealed record RingOptions
{
    /// <summary>Copies of every key (primary included), at least 1; capped at the node count.</summary>
    public int Replicas { get; init; } = 2;

    /// <summary>
    /// Two ASCII characters delimiting the hashed part of a key (twemproxy's <c>hash_tag</c>), or
    /// null/empty to hash whole keys.
    /// </summary>
    public string? HashTag { get; init; } = "{}";
}
