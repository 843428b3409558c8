using System.Globalization;

namespace RedisRing.Ring;

/// <summary>How keys are placed: how many copies, and which part of a key is hashed.</summary>
public sealed record RingOptions
{
    /// <summary>The fewest copies of a key: the primary alone.</summary>
    public const int MinReplicas = 1;

    /// <summary>
    /// The most copies of a key: the bound a cluster's config znode always had. The ring, a static
    /// proxy, the cluster config and the registrar all share it, so a replica count accepted in
    /// one mode is never refused in another (a static proxy used to take 100, ZooKeeper mode
    /// refused 17). Every write goes to every copy, so more would cost much and protect little.
    /// </summary>
    public const int MaxReplicas = 16;

    /// <summary>The rule for a replica count, as words to put after a setting's name.</summary>
    public static string ReplicasRule { get; } = string.Create(CultureInfo.InvariantCulture, $"an integer in {MinReplicas}..{MaxReplicas}");

    /// <summary>Copies of every key (primary included), in MinReplicas..MaxReplicas; capped at the node count.</summary>
    public int Replicas { get; init; } = 2;

    /// <summary>
    /// Two ASCII characters delimiting the hashed part of a key (twemproxy's <c>hash_tag</c>), or
    /// null/empty to hash whole keys.
    /// </summary>
    public string? HashTag { get; init; } = "{}";

    /// <summary>
    /// The one check of a replica count: null when it is allowed, else why not, e.g.
    /// "must be an integer in 1..16, not 17", for the caller to put after the setting's name.
    /// </summary>
    public static string? CheckReplicas(long replicas) =>
        replicas is >= MinReplicas and <= MaxReplicas
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"must be {ReplicasRule}, not {replicas}");
}
