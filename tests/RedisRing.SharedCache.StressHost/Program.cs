using System.Globalization;

namespace RedisRing.SharedCache.StressHost;

/// <summary>Usage: (load|read|die-mid-record) &lt;cache path&gt; &lt;seconds&gt; [initial arena bytes].</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: (load|read|die-mid-record) <cache path> <seconds> [initial arena bytes]");
            return 64;
        }

        var options = new SharedCacheOptions
        {
            Path = args[1],
            InitialArenaBytes = args.Length > 3 ? long.Parse(args[3], CultureInfo.InvariantCulture) : 1L << 16,
        };
        var duration = TimeSpan.FromSeconds(double.Parse(args[2], CultureInfo.InvariantCulture));
        return args[0] switch
        {
            "load" => LoaderLoop.Run(options, duration),
            "read" => ReaderLoop.Run(options, duration),
            "die-mid-record" => MidRecordKill.Run(options),
            _ => 64,
        };
    }
}
