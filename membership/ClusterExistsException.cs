namespace RedisRing.Membership;

/// <summary>The creation step was run for a cluster whose root already exists.</summary>
public sealed class ClusterExistsException(string root)
    : InvalidOperationException($"{root} already exists: a cluster is created once (its nodes may hold data).");
