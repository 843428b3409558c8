using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using RedisRing.SharedCache.Writing;

namespace RedisRing.SharedCache.Benchmarks;

/// <summary>
/// A full reload of 1M records (~200-byte values, a compact site's settings) into a cache that
/// already holds 1M, excluding the source fetch: every value changed (two batches alternate), or
/// none did. Each invocation is a whole reload, so it runs a few times, not millions.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class ReloadBenchmarks
{
    private const int Records = 1_000_000;
    private const int ValueBytes = 200;

    private BenchCache _cache = null!;
    private SharedCacheWriter _writer = null!;
    private List<CacheRecord> _even = null!;
    private List<CacheRecord> _odd = null!;
    private bool _flip;

    [GlobalSetup]
    public void Setup()
    {
        _even = Batch(1);
        _odd = Batch(2);
        _cache = new BenchCache(1L << 30);
        _writer = SharedCacheWriter.Acquire(_cache.Options);
        _writer.ReplaceAll(_even);
        _writer.ReplaceAll(_odd);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
        _cache.Dispose();
    }

    [Benchmark]
    public void Full_reload_1M_records_all_changed()
    {
        _flip = !_flip;
        _writer.ReplaceAll(_flip ? _even : _odd);
    }

    [Benchmark]
    public void Full_reload_1M_records_none_changed() => _writer.ReplaceAll(_flip ? _even : _odd);

    internal static List<CacheRecord> Batch(int seed)
    {
        // One backing array per batch: 1M small arrays would make the benchmark about the GC.
        var random = new Random(seed);
        var values = new byte[Records * ValueBytes];
        random.NextBytes(values);
        var records = new List<CacheRecord>(Records);
        for (var i = 0; i < Records; i++)
        {
            records.Add(new CacheRecord(System.Text.Encoding.UTF8.GetBytes($"site:{i:D7}"), values.AsMemory(i * ValueBytes, ValueBytes)));
        }

        return records;
    }
}
