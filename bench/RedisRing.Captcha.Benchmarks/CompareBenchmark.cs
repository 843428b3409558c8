using System.Globalization;

namespace RedisRing.Captcha.Benchmarks;

/// <summary>
/// Same-run before/after: alternates load runs of a baseline service build (another checkout's
/// built dll) and this repository's build, with the same client, proxy and Redis, and prints each
/// round's ratios (after / before) and their medians. Alternating spreads the shared machine's
/// drift over both builds; the CPU microseconds per request move far less with it than the rates.
/// </summary>
internal static class CompareBenchmark
{
    public static async Task RunAsync(string baselineDll, int rounds, LoadOptions options)
    {
        if (!File.Exists(baselineDll))
        {
            throw new FileNotFoundException($"{baselineDll} is missing: build the baseline's captcha project first.", baselineDll);
        }

        var before = new List<LoadResult>();
        var after = new List<LoadResult>();
        for (var round = 0; round < rounds; round++)
        {
            // before, after; then after, before: neither build always runs on the warmer machine.
            var baselineFirst = round % 2 == 0;
            foreach (var baseline in baselineFirst ? new[] { true, false } : [false, true])
            {
                Console.WriteLine($"round {round + 1}/{rounds}: {(baseline ? "before (baseline)" : "after (this build)")}");
                LoadResult result;
                try
                {
                    result = await LoadBenchmark.RunAsync(options with { ServiceDll = baseline ? baselineDll : null });
                }
                catch (Exception e) when (e is System.Net.Http.HttpRequestException or IOException or InvalidOperationException)
                {
                    // One failed run (printed with the service's log) leaves a gap, not a lost comparison.
                    Console.WriteLine($"  run failed: {e.Message}");
                    result = new LoadResult(null, null, null, "-");
                }

                (baseline ? before : after).Add(result);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"before: {baselineDll}; after: this build. Rates per second, service CPU us per request in brackets.");
        Console.WriteLine("round | issue before | issue after | ratio | verify before | verify after | ratio | siteverify before | siteverify after | ratio | load average");
        var ratios = new List<double?[]>();
        for (var i = 0; i < rounds; i++)
        {
            var b = before[i];
            var a = after[i];
            var row = new double?[] { Ratio(b.Issue, a.Issue), Ratio(b.Verify, a.Verify), Ratio(b.SiteVerify, a.SiteVerify) };
            ratios.Add(row);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{i + 1} | {Cell(b.Issue)} | {Cell(a.Issue)} | {Text(row[0])} | {Cell(b.Verify)} | {Cell(a.Verify)} | {Text(row[1])} | {Cell(b.SiteVerify)} | {Cell(a.SiteVerify)} | {Text(row[2])} | {b.LoadAverage} / {a.LoadAverage}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median ratio (after / before): issue {Text(Median(ratios, 0))}, verify {Text(Median(ratios, 1))}, siteverify {Text(Median(ratios, 2))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median service CPU per request, before -> after: issue {Cpu(before, r => r.Issue)} -> {Cpu(after, r => r.Issue)} us, verify {Cpu(before, r => r.Verify)} -> {Cpu(after, r => r.Verify)} us, siteverify {Cpu(before, r => r.SiteVerify)} -> {Cpu(after, r => r.SiteVerify)} us"));
    }

    private static double? Ratio(PhaseFigures? before, PhaseFigures? after) =>
        before is null || after is null || before.PerSecond == 0 ? null : after.PerSecond / before.PerSecond;

    private static string Cell(PhaseFigures? figures) =>
        figures is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{figures.PerSecond:F0} ({figures.ServiceCpuMicroseconds:F0})");

    private static string Text(double? ratio) => ratio is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) : "-";

    private static double? Median(List<double?[]> rows, int column) => MedianOf(rows.Select(r => r[column]));

    private static string Cpu(List<LoadResult> results, Func<LoadResult, PhaseFigures?> phase) =>
        MedianOf(results.Select(r => phase(r)?.ServiceCpuMicroseconds)) is { } us ? us.ToString("F0", CultureInfo.InvariantCulture) : "-";

    private static double? MedianOf(IEnumerable<double?> values)
    {
        var known = values.OfType<double>().Order().ToArray();
        return known.Length == 0 ? null
            : known.Length % 2 == 1 ? known[known.Length / 2]
            : (known[(known.Length / 2) - 1] + known[known.Length / 2]) / 2;
    }
}
