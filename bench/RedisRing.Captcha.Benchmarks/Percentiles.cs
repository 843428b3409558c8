namespace RedisRing.Captcha.Benchmarks;

/// <summary>Order statistics of a set of measurements.</summary>
internal static class Percentiles
{
    public static double Of(double[] sorted, double percentile)
    {
        var index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
