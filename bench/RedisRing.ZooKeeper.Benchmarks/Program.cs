using System.Globalization;

namespace RedisRing.ZooKeeper.Benchmarks;

internal static class Program
{
    // "load <server> <get|set> <in-flight> <seconds>" runs the pipelined load test (run-load.sh
    // starts a ZooKeeper for it); anything else goes to BenchmarkDotNet.
    private static async Task Main(string[] args)
    {
        if (args is ["load", var server, var operation, var inFlight, var seconds])
        {
            await LoadTest.RunAsync(server, operation, int.Parse(inFlight, CultureInfo.InvariantCulture),
                TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture)));
            return;
        }

        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
