using System.Collections.Concurrent;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Memory;
using RedisRing.SharedCache.Reading;
using RedisRing.SharedCache.Writing;

namespace RedisRing.SharedCache.Benchmarks;

/// <summary>
/// One lookup of a ~500-byte record among 100k, copied into the caller's buffer, in the mapped
/// cache and in two in-process caches holding the same data. Keys are visited in a shuffled order
/// so the lookups are not all served from the CPU cache.
/// </summary>
[MemoryDiagnoser]
public class LookupBenchmarks
{
    private const int Records = 100_000;
    private const int ValueBytes = 500;

    private readonly byte[] _buffer = new byte[1024];
    private BenchCache _cache = null!;
    private SharedCacheReader _reader = null!;
    private ConcurrentDictionary<string, byte[]> _dictionary = null!;
    private MemoryCache _memoryCache = null!;
    private string[] _keys = null!;
    private byte[][] _utf8Keys = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _keys = Enumerable.Range(0, Records).Select(i => $"site:{i:D6}.example.com").OrderBy(_ => random.Next()).ToArray();
        _utf8Keys = _keys.Select(Encoding.UTF8.GetBytes).ToArray();
        var values = _keys.Select(_ =>
        {
            var value = new byte[ValueBytes];
            random.NextBytes(value);
            return value;
        }).ToArray();

        _cache = new BenchCache(1L << 20);
        using (var writer = SharedCacheWriter.Acquire(_cache.Options))
        {
            writer.ReplaceAll(_utf8Keys.Zip(values, (k, v) => new CacheRecord(k, v)).ToList());
        }

        _reader = SharedCacheReader.Open(_cache.Options);
        _dictionary = new ConcurrentDictionary<string, byte[]>(_keys.Zip(values, KeyValuePair.Create));
        _memoryCache = new MemoryCache(new MemoryCacheOptions());
        for (var i = 0; i < Records; i++)
        {
            _memoryCache.Set(_keys[i], values[i]);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        _memoryCache.Dispose();
        _cache.Dispose();
    }

    private int Next()
    {
        var next = _next + 1;
        _next = next == Records ? 0 : next;
        return next == Records ? 0 : next;
    }

    [Benchmark(Baseline = true)]
    public int ConcurrentDictionary_string_key()
    {
        var value = _dictionary[_keys[Next()]];
        value.CopyTo(_buffer, 0);
        return value.Length;
    }

    [Benchmark]
    public int MemoryCache_string_key()
    {
        var value = (byte[])_memoryCache.Get(_keys[Next()])!;
        value.CopyTo(_buffer, 0);
        return value.Length;
    }

    [Benchmark]
    public int SharedCache_string_key()
    {
        _reader.TryGet(_keys[Next()], _buffer, out var length);
        return length;
    }

    [Benchmark]
    public int SharedCache_utf8_key()
    {
        _reader.TryGet(_utf8Keys[Next()], _buffer, out var length);
        return length;
    }
}
