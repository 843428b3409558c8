using System.Text;
using RedisRing.SharedCache.Reading;
using RedisRing.SharedCache.Writing;

namespace RedisRing.SharedCache.Tests.Reading;

public sealed class ReadWriteTests : IDisposable
{
    private readonly TempCache _cache = new();

    [Fact]
    public void A_full_batch_is_readable_by_key_and_unknown_keys_are_not_found()
    {
        using var writer = SharedCacheWriter.Acquire(_cache.Options);
        var batch = TestRecords.Batch(500, generation: 1);
        writer.ReplaceAll(batch);
        using var reader = SharedCacheReader.Open(_cache.Options);
        var buffer = new byte[1024];
        foreach (var record in batch)
        {
            Assert.Equal(LookupStatus.Found, reader.TryGet(record.Key.Span, buffer, out var length));
            Assert.Equal(record.Value.ToArray(), buffer[..length]);
        }

        Assert.Equal(LookupStatus.NotFound, reader.TryGet("site:unknown", buffer, out _));
        Assert.Equal(500, reader.GetMetrics().RecordCount);
    }

    [Fact]
    public void A_second_full_batch_replaces_changed_records_and_drops_missing_ones()
    {
        using var writer = SharedCacheWriter.Acquire(_cache.Options);
        writer.ReplaceAll(TestRecords.Batch(300, generation: 1));
        using var reader = SharedCacheReader.Open(_cache.Options);
        var second = TestRecords.Batch(200, generation: 2);
        second.AddRange(TestRecords.Batch(100, generation: 1).Skip(50)); // keys 50..99 again, unchanged
        writer.ReplaceAll(second);

        Assert.Equal(TestRecords.Value(7, 2, 100), reader.Get(TestRecords.Key(7)));
        Assert.Null(reader.Get(TestRecords.Key(250)));
        Assert.Equal(200, reader.GetMetrics().RecordCount);
    }

    [Fact]
    public void Incremental_changes_replace_add_and_delete_only_the_named_records()
    {
        using var writer = SharedCacheWriter.Acquire(_cache.Options);
        writer.ReplaceAll(TestRecords.Batch(100, generation: 1));
        using var reader = SharedCacheReader.Open(_cache.Options);
        var generation = reader.Generation;
        writer.Apply(
        [
            CacheChange.Upsert(TestRecords.Key(3), Encoding.UTF8.GetBytes("changed")),
            CacheChange.Upsert(TestRecords.Key(1000), Encoding.UTF8.GetBytes("added")),
            CacheChange.Delete(TestRecords.Key(4)),
        ]);

        Assert.Equal("changed"u8.ToArray(), reader.Get(TestRecords.Key(3)));
        Assert.Equal("added"u8.ToArray(), reader.Get(TestRecords.Key(1000)));
        Assert.Null(reader.Get(TestRecords.Key(4)));
        Assert.Equal(TestRecords.Value(5, 1, 100), reader.Get(TestRecords.Key(5)));
        Assert.Equal(generation + 1, reader.Generation);
        Assert.Equal(100, reader.GetMetrics().RecordCount);
    }

    [Fact]
    public void Many_inserts_and_deletes_keep_every_record_readable_through_index_rehashes()
    {
        using var writer = SharedCacheWriter.Acquire(_cache.Options);
        writer.ReplaceAll([]);
        using var reader = SharedCacheReader.Open(_cache.Options);
        var expected = new Dictionary<int, byte[]>();
        var random = new Random(11);
        for (var round = 0; round < 3000; round++)
        {
            var i = random.Next(400);
            if (random.Next(4) == 0)
            {
                writer.Delete(TestRecords.Key(i));
                expected.Remove(i);
            }
            else
            {
                var value = TestRecords.Value(i, round, random.Next(0, 300));
                writer.Upsert(TestRecords.Key(i), value);
                expected[i] = value;
            }
        }

        for (var i = 0; i < 400; i++)
        {
            Assert.Equal(expected.GetValueOrDefault(i), reader.Get(TestRecords.Key(i)));
        }

        Assert.Equal(expected.Count, reader.GetMetrics().RecordCount);
    }

    [Fact]
    public void A_destination_too_small_reports_the_length_needed()
    {
        using var writer = SharedCacheWriter.Acquire(_cache.Options);
        writer.ReplaceAll([CacheRecord.From("k", new byte[300])]);
        using var reader = SharedCacheReader.Open(_cache.Options);
        Assert.Equal(LookupStatus.BufferTooSmall, reader.TryGet("k", new byte[10], out var length));
        Assert.Equal(300, length);
    }

    [Fact]
    public void A_key_longer_than_the_limit_is_rejected_with_an_argument_error()
    {
        using var writer = SharedCacheWriter.Acquire(_cache.Options);
        Assert.Throws<ArgumentException>(() => writer.ReplaceAll([new CacheRecord(new byte[2000], new byte[1])]));
        Assert.Throws<ArgumentException>(() => writer.ReplaceAll([new CacheRecord(Array.Empty<byte>(), new byte[1])]));
    }

    [Fact]
    public void Incremental_changes_before_any_full_load_are_refused()
    {
        using var writer = SharedCacheWriter.Acquire(_cache.Options);
        Assert.True(writer.NeedsFullLoad);
        Assert.Throws<InvalidOperationException>(() => writer.Upsert("a"u8.ToArray(), "b"u8.ToArray()));
    }

    [Fact]
    public void A_reader_cannot_open_before_a_loader_has_published_a_file() =>
        Assert.ThrowsAny<IOException>(() => SharedCacheReader.Open(_cache.Options));

    [Fact]
    public void Only_one_writer_holds_the_lock_until_it_is_disposed()
    {
        var first = SharedCacheWriter.Acquire(_cache.Options);
        Assert.Null(SharedCacheWriter.TryAcquire(_cache.Options));
        Assert.Throws<SharedCacheLockedException>(() => SharedCacheWriter.Acquire(_cache.Options));
        first.Dispose();
        using var second = SharedCacheWriter.Acquire(_cache.Options);
        Assert.NotNull(second);
    }

    [Fact]
    public void A_new_writer_trusts_a_valid_file_and_keeps_its_records()
    {
        using (var writer = SharedCacheWriter.Acquire(_cache.Options))
        {
            writer.ReplaceAll(TestRecords.Batch(50, generation: 1));
            writer.Delete(TestRecords.Key(3));
        }

        using var next = SharedCacheWriter.Acquire(_cache.Options);
        Assert.False(next.NeedsFullLoad, next.RejectedReason);
        next.Upsert(TestRecords.Key(60), "x"u8.ToArray());
        using var reader = SharedCacheReader.Open(_cache.Options);
        Assert.Equal(TestRecords.Value(10, 1, 100), reader.Get(TestRecords.Key(10)));
        Assert.Equal("x"u8.ToArray(), reader.Get(TestRecords.Key(60)));
        Assert.Equal(50, reader.GetMetrics().RecordCount);
    }

    public void Dispose() => _cache.Dispose();
}
