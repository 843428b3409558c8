namespace RedisRing.Captcha.State;

/// <summary>Redis (through the proxy) could not be reached or did not answer in time.</summary>
internal sealed class StoreUnavailableException(Exception inner) : Exception("The challenge store is unavailable.", inner);
