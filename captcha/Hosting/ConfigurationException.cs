namespace RedisRing.Captcha.Hosting;

/// <summary>
/// The configuration cannot work (a missing signing key in production, a malformed proxy
/// address): the process says so in one line and exits with code 2 instead of serving wrongly.
/// </summary>
internal sealed class ConfigurationException(string message) : Exception(message);
