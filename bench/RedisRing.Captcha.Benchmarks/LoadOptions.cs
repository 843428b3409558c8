namespace RedisRing.Captcha.Benchmarks;

/// <summary>What one load run measures: phase length, client count, topology, image format, extra service arguments and environment.</summary>
internal sealed record LoadOptions(int Seconds, int Clients, bool Direct, string Format, int VerifyCount, IReadOnlyList<string> ServiceArguments, IDictionary<string, string> ServiceEnvironment);
