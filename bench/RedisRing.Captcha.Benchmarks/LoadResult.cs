namespace RedisRing.Captcha.Benchmarks;

/// <summary>One measured phase of a load run: requests per second and the service's CPU microseconds per request.</summary>
internal sealed record PhaseFigures(double PerSecond, double ServiceCpuMicroseconds);

/// <summary>What a load run measured, phase by phase (a phase that did not run is null).</summary>
internal sealed record LoadResult(PhaseFigures? Issue, PhaseFigures? Verify, PhaseFigures? SiteVerify, string LoadAverage);
