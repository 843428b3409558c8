namespace RedisRing.Captcha.Benchmarks;

/// <summary>Order statistics of a set of measurements.</summary>
internal static class Percentiles
{
    /// <summary>The percentile of <paramref name="sorted"/>; NaN when there is no measurement (a phase that ran out of work during its warm-up).</summary>
    public static double Of(double[] sorted, double percentile)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
