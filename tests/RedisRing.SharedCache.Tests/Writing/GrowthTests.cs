using RedisRing.SharedCache.Reading;
using RedisRing.SharedCache.Writing;

namespace RedisRing.SharedCache.Tests.Writing;

public sealed class GrowthTests : IDisposable
{
    private readonly TempCache _cache = new(initialArenaBytes: 1 << 14);

    [Fact]
    public void When_records_outgrow_the_file_a_larger_one_is_published_and_open_readers_switch_to_it()
    {
        using var writer = SharedCacheWriter.Acquire(_cache.Options);
        writer.ReplaceAll(TestRecords.Batch(5, generation: 1));
        using var reader = SharedCacheReader.Open(_cache.Options);
        var firstFile = reader.GetMetrics().FileGeneration;
        for (var i = 5; i < 2000; i++)
        {
            writer.Upsert(TestRecords.Key(i), TestRecords.Value(i, 1, 100));
        }

        for (var i = 0; i < 2000; i++)
        {
            Assert.Equal(TestRecords.Value(i, 1, 100), reader.Get(TestRecords.Key(i)));
        }

        var metrics = reader.GetMetrics();
        Assert.True(metrics.FileGeneration > firstFile + 2, $"grew {metrics.FileGeneration - firstFile} times");
        Assert.Equal(2000, metrics.RecordCount);
        Assert.True(metrics.ArenaBytes >= 2000 * 256);

        // Old data files are gone from the directory: only the link, the lock and the current file remain.
        Assert.Equal(3, Directory.GetFileSystemEntries(_cache.Directory).Length);
    }

    [Fact]
    public void A_full_batch_larger_than_the_file_is_loaded_into_a_new_file_in_one_generation()
    {
        using var writer = SharedCacheWriter.Acquire(_cache.Options);
        writer.ReplaceAll(TestRecords.Batch(5, generation: 1));
        using var reader = SharedCacheReader.Open(_cache.Options);
        var generation = reader.Generation;
        writer.ReplaceAll(TestRecords.Batch(3000, generation: 2, length: 300));
        Assert.Equal(generation + 1, reader.Generation);
        Assert.Equal(TestRecords.Value(2999, 2, 300), reader.Get(TestRecords.Key(2999)));
    }

    [Fact]
    public void The_loader_refuses_to_grow_past_the_configured_maximum()
    {
        using var writer = SharedCacheWriter.Acquire(_cache.Options with { MaxArenaBytes = 1 << 16 });
        Assert.Throws<SharedCacheFullException>(() => writer.ReplaceAll(TestRecords.Batch(1000, generation: 1)));
    }

    [Fact]
    public void Metrics_report_free_blocks_by_order_fragmentation_and_the_age_of_the_last_load()
    {
        using var writer = SharedCacheWriter.Acquire(_cache.Options);
        writer.ReplaceAll(TestRecords.Batch(20, generation: 1));
        writer.Delete(TestRecords.Key(3));
        var metrics = writer.GetMetrics();
        Assert.Equal(19, metrics.RecordCount);
        Assert.Equal(metrics.ArenaBytes, metrics.UsedBytes + metrics.FreeBytes);
        Assert.Equal(metrics.FreeBytes, metrics.FreeByOrder.Sum(f => f.Bytes));
        Assert.InRange(metrics.Fragmentation, 0, 1);
        Assert.NotNull(metrics.LastLoad);
        Assert.InRange(metrics.LastLoadAge!.Value, TimeSpan.Zero, TimeSpan.FromMinutes(1));
    }

    public void Dispose() => _cache.Dispose();
}
