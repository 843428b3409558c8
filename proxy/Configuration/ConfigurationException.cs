namespace RedisRing.Proxy.Configuration;

/// <summary>Bad configuration: the proxy prints the message and exits with a non-zero code.</summary>
internal sealed class ConfigurationException(string message) : Exception(message);
