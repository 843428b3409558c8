namespace RedisRing.Registrar.Configuration;

/// <summary>A missing or bad option: printed, exit code 2.</summary>
internal sealed class ConfigurationException(string message) : Exception(message);
