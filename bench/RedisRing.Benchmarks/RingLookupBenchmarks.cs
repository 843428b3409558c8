using System.Text;
using BenchmarkDotNet.Attributes;
using RedisRing.Ring;

namespace RedisRing.Benchmarks;

/// <summary>
/// Ring lookups on the proxy's hot path: hash tag + fnv1a_64 + binary search over the
/// precomputed ranges. Each invocation walks 1024 different keys, so branch prediction and caches
/// see a realistic mix rather than one key; results are per lookup.
/// </summary>
[MemoryDiagnoser]
public class RingLookupBenchmarks
{
    private const int Keys = 1024;
    private HashRing _ring = null!;
    private byte[][] _shortKeys = null!;
    private byte[][] _longKeys = null!;

    [Params(3, 30)]
    public int Nodes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var nodes = Enumerable.Range(0, Nodes).Select(i => RingNode.FromEndpoint($"10.0.{i / 250}.{(i % 250) + 1}", 6379)).ToArray();
        _ring = HashRing.Create(nodes, new RingOptions { Replicas = 2 });
        _shortKeys = [.. Enumerable.Range(0, Keys).Select(i => Encoding.ASCII.GetBytes($"user:{i}"))];
        // 40 bytes, with a hash tag, like "{session:0000123}:profile:settings:v2xyz".
        _longKeys = [.. Enumerable.Range(0, Keys).Select(i => Encoding.ASCII.GetBytes($"{{session:{i:D7}}}:profile:settings:v2xyz"))];
        if (_longKeys[0].Length != 40)
        {
            throw new InvalidOperationException($"Long keys are {_longKeys[0].Length} bytes, not 40.");
        }
    }

    [Benchmark(OperationsPerInvoke = Keys)]
    public int LocateShortKey()
    {
        var sum = 0;
        foreach (var key in _shortKeys)
        {
            sum += _ring.Locate(key).Id;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys)]
    public int Locate40ByteKey()
    {
        var sum = 0;
        foreach (var key in _longKeys)
        {
            sum += _ring.Locate(key).Id;
        }

        return sum;
    }

    /// <summary>The cost of a membership change: building the whole ring snapshot (R = 2).</summary>
    [Benchmark]
    public HashRing CreateRing() => HashRing.Create(_ring.Nodes, _ring.Options);

    [Benchmark(OperationsPerInvoke = Keys)]
    public uint Hash40ByteKey()
    {
        uint sum = 0;
        foreach (var key in _longKeys)
        {
            sum += HashRing.Hash(key);
        }

        return sum;
    }
}
