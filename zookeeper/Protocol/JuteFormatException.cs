namespace RedisRing.ZooKeeper.Protocol;

/// <summary>A reply that does not decode as the jute record it should be: the connection is dropped.</summary>
internal sealed class JuteFormatException(string message) : Exception(message);
