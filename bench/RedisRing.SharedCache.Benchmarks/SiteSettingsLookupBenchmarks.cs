using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RedisRing.Captcha.Settings;
using RedisRing.SharedCache.Writing;

namespace RedisRing.SharedCache.Benchmarks;

/// <summary>
/// What one captcha request pays to read its site's settings: the in-process frozen dictionary
/// against the shared cache (copy the record out of the mapping, compare it with the bytes decoded
/// last time, reuse the decoded settings). With more sites than a worker keeps decoded (10k), a
/// random site is often decoded again: the 100k case shows that cost.
/// </summary>
[MemoryDiagnoser]
public class SiteSettingsLookupBenchmarks
{
    private BenchCache? _cache;
    private SharedSiteSettingsProvider? _shared;
    private CachedSiteSettingsProvider? _inProcess;
    private string[] _keys = [];
    private int _next;

    [Params(1_000, 100_000)]
    public int Sites { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cache = new BenchCache(1L << 20);
        var documents = Enumerable.Range(0, Sites).Select(i => new SiteSettingsDocument
        {
            SiteKey = $"site-{i:D7}",
            SecretSha256 = new string('a', 64),
            AllowedHostnames = [$"www.customer-{i:D7}.example", $"customer-{i:D7}.example"],
            Decoys = 1 + (i % 3),
            ChallengesPerIpPerMinute = 60,
        }).ToList();
        using (var writer = SharedCacheWriter.Acquire(_cache.Options))
        {
            writer.ReplaceAll(documents.Select(d => CacheRecord.From(d.SiteKey!, SiteSettingsCodec.Encode(d))).ToList());
        }

        var options = Options.Create(new SettingsOptions { SharedCachePath = _cache.Options.Path });
        _shared = new SharedSiteSettingsProvider(options, TimeProvider.System, NullLogger<SharedSiteSettingsProvider>.Instance);
        _inProcess = new CachedSiteSettingsProvider();
        _inProcess.Replace(documents.Select(d => SiteSettingsValidator.TryCreate(d, out var s, out _) ? s! : throw new InvalidOperationException()));
        _keys = documents.Select(d => d.SiteKey!).ToArray();
        new Random(1).Shuffle(_keys);
        foreach (var key in _keys)
        {
            _shared.TryGet(key, out _);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _shared?.Dispose();
        _cache?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public bool InProcess_TryGet() => _inProcess!.TryGet(NextKey(), out _);

    [Benchmark]
    public bool SharedCache_TryGet() => _shared!.TryGet(NextKey(), out _);

    private string NextKey()
    {
        var keys = _keys;
        var i = _next;
        _next = i + 1 == keys.Length ? 0 : i + 1;
        return keys[i];
    }
}
