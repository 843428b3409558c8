namespace RedisRing.Captcha.Benchmarks;

/// <summary>What one <c>load</c> run measures and how; <paramref name="ServiceDll"/> null means this repository's built service.</summary>
internal sealed record LoadOptions(int Seconds, int Clients, bool Direct, string Format, int VerifyCount, IReadOnlyList<string> ServiceArguments, IDictionary<string, string> ServiceEnvironment, int WarmUpSeconds, string? ServiceDll = null);
