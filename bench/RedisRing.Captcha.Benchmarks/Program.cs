using System.Globalization;

namespace RedisRing.Captcha.Benchmarks;

/// <summary>
/// Captcha benchmarks. Usage:
///   render [--count N]                       time to render one challenge (median, p99)
///   cpu [--count N]                          CPU ms per render (default format, one thread) and its parts
///   encoders [--count N]                     painting versus each encoder's time and size
///   sample [--out DIR] [--count N]           writes N rendered challenges to DIR, to look at
///   load [--seconds S] [--clients C] [--direct] [--format jpeg|webp|png] [--verify-count N] [--warm-up S] [--env NAME=VALUE] [-- --Key Value ...]
///                                            issue/s, verify/s and siteverify/s through the
///                                            proxy (three redis-servers) or, with --direct,
///                                            against one redis-server, with CPU microseconds
///                                            per request of each process; arguments after
///                                            "--" go to the service (e.g. --Images:MaxServesPerImage 8)
///   compare --baseline DLL [--rounds N] [load options]
///                                            before/after in one run: alternates load runs of
///                                            another build's service dll and this one's, prints
///                                            the ratios (see CompareBenchmark)
///   (no arguments)                           render, then load through the proxy, then direct
/// Build the solution in Release first (the load test starts the built proxy and service).
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
        var count = Option(args, "--count", 2000);
        var seconds = Option(args, "--seconds", 10);
        var clients = Option(args, "--clients", 50);
        var direct = args.Contains("--direct");
        var split = Array.IndexOf(args, "--");
        var serviceArguments = split >= 0 ? args[(split + 1)..] : [];
        var format = OptionText(args, "--format", "jpeg");
        var verifyCount = Option(args, "--verify-count", 150_000);
        // --env NAME=VALUE (repeatable) sets an environment variable of the service only.
        var environment = args.Select((a, i) => (a, i)).Where(x => x.a == "--env" && x.i + 1 < args.Length && (split < 0 || x.i < split))
            .Select(x => args[x.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : string.Empty);
        LoadOptions Load(bool isDirect) => new(seconds, clients, isDirect, format, verifyCount, serviceArguments, environment, Option(args, "--warm-up", LoadBenchmark.DefaultWarmUpSeconds));
        switch (mode)
        {
            case "encoders":
                EncoderBenchmark.Run(count);
                return 0;
            case "sample":
                SampleImages.Write(OptionText(args, "--out", "captcha-samples"), Option(args, "--count", 4));
                return 0;
            case "render":
                RenderBenchmark.Run(count);
                return 0;
            case "cpu":
                RenderCpuBenchmark.Run(count);
                return 0;
            case "load":
                await LoadBenchmark.RunAsync(Load(direct));
                return 0;
            case "compare":
                await CompareBenchmark.RunAsync(OptionText(args, "--baseline", string.Empty), Option(args, "--rounds", 3), Load(direct));
                return 0;
            case "all":
                RenderBenchmark.Run(count);
                await LoadBenchmark.RunAsync(Load(false));
                await LoadBenchmark.RunAsync(Load(true));
                return 0;
            default:
                Console.Error.WriteLine("usage: render [--count N] | cpu [--count N] | encoders [--count N] | sample [--out DIR] [--count N] | load [--seconds S] [--clients C] [--direct] [--format jpeg|webp|png] [--verify-count N] [--warm-up S] [--env NAME=VALUE] [-- service arguments] | compare --baseline DLL [--rounds N] [load options]");
                return 2;
        }
    }

    private static string OptionText(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
