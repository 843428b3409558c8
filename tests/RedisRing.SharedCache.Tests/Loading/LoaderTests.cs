using System.Text;
using RedisRing.SharedCache.Loading;
using RedisRing.SharedCache.Reading;

namespace RedisRing.SharedCache.Tests.Loading;

public sealed class LoaderTests : IDisposable
{
    private static readonly SharedCacheLoaderOptions Fast = new()
    {
        PollInterval = TimeSpan.FromMilliseconds(100),
        FullReloadInterval = TimeSpan.FromMinutes(10),
        LockRetryInterval = TimeSpan.FromMilliseconds(50),
    };

    private readonly TempCache _cache = new();
    private readonly string _json;

    public LoaderTests() => _json = Path.Combine(_cache.Directory, "settings.json");

    [Fact]
    public async Task Changes_to_the_json_file_reach_readers_and_deleted_records_disappear()
    {
        await File.WriteAllTextAsync(_json, """{ "site-a": { "difficulty": 1 }, "site-b": { "difficulty": 2 } }""");
        using var source = new JsonFileSource(_json);
        var loader = new SharedCacheLoader(_cache.Options, source, Fast);
        using var stop = new CancellationTokenSource();
        var running = loader.RunAsync(stop.Token);

        using var reader = await OpenReaderAsync();
        await Eventually(() => Text(reader, "site-a") == """{"difficulty":1}""");
        Assert.Equal("""{"difficulty":2}""", Text(reader, "site-b"));

        await File.WriteAllTextAsync(_json, """{ "site-a": { "difficulty": 5 }, "site-c": [1, 2] }""");
        await Eventually(() => Text(reader, "site-a") == """{"difficulty":5}""" && Text(reader, "site-b") is null);
        Assert.Equal("[1,2]", Text(reader, "site-c"));
        Assert.Equal(1, loader.Status.FullLoads);
        Assert.True(loader.Status.IncrementalLoads >= 1);

        await stop.CancelAsync();
        await running;
        Assert.False(loader.Status.IsLoader);
    }

    [Fact]
    public async Task The_whole_collection_is_reloaded_every_full_reload_interval()
    {
        await File.WriteAllTextAsync(_json, """{ "site-a": 1 }""");
        using var source = new JsonFileSource(_json);
        var loader = new SharedCacheLoader(_cache.Options, source, Fast with { FullReloadInterval = TimeSpan.FromMilliseconds(150) });
        using var stop = new CancellationTokenSource();
        var running = loader.RunAsync(stop.Token);
        await Eventually(() => loader.Status.FullLoads >= 3);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_broken_source_keeps_the_last_records_and_reports_the_failure_and_staleness()
    {
        await File.WriteAllTextAsync(_json, """{ "site-a": "v1" }""");
        using var source = new JsonFileSource(_json);
        var loader = new SharedCacheLoader(_cache.Options, source, Fast);
        using var stop = new CancellationTokenSource();
        var running = loader.RunAsync(stop.Token);
        using var reader = await OpenReaderAsync();
        await Eventually(() => Text(reader, "site-a") == "\"v1\"");

        await File.WriteAllTextAsync(_json, """{ "site-a": "v2", """);
        await Eventually(() => loader.Status.LastError is not null);
        Assert.Equal("\"v1\"", Text(reader, "site-a"));
        var age = reader.GetMetrics().LastLoadAge!.Value;
        await Task.Delay(300);
        Assert.True(reader.GetMetrics().LastLoadAge > age, "the age of the last load must grow while the source fails");

        await File.WriteAllTextAsync(_json, """{ "site-a": "v3" }""");
        await Eventually(() => Text(reader, "site-a") == "\"v3\"" && loader.Status.LastError is null);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Only_one_of_two_loader_hosts_loads_and_the_other_takes_over_when_it_stops()
    {
        await File.WriteAllTextAsync(_json, """{ "site-a": 1 }""");
        using var source1 = new JsonFileSource(_json);
        using var source2 = new JsonFileSource(_json);
        var first = new SharedCacheLoader(_cache.Options, source1, Fast);
        var second = new SharedCacheLoader(_cache.Options, source2, Fast);
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var runningFirst = first.RunAsync(stopFirst.Token);
        await Eventually(() => first.Status.IsLoader);
        var runningSecond = second.RunAsync(stopSecond.Token);
        await Task.Delay(300);
        Assert.False(second.Status.IsLoader);
        Assert.Equal(0, second.Status.SourceReads);

        await stopFirst.CancelAsync();
        await runningFirst;
        await Eventually(() => second.Status.IsLoader && second.Status.FullLoads == 1);
        await stopSecond.CancelAsync();
        await runningSecond;
    }

    private async Task<SharedCacheReader> OpenReaderAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                return SharedCacheReader.Open(_cache.Options);
            }
            catch (FileNotFoundException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    private static string? Text(SharedCacheReader reader, string key) =>
        reader.Get(key) is { } value ? Encoding.UTF8.GetString(value) : null;

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(20);
        }
    }

    public void Dispose() => _cache.Dispose();
}
