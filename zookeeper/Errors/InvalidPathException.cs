namespace RedisRing.ZooKeeper;

/// <summary>A path the server would reject; raised before anything is sent.</summary>
public sealed class InvalidPathException(string? path, string reason)
    : ArgumentException($"Invalid ZooKeeper path '{path}': {reason}.", nameof(path))
{
    public string? InvalidPath { get; } = path;
}
