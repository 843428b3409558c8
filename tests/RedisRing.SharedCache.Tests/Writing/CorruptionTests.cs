using RedisRing.SharedCache.Format;
using RedisRing.SharedCache.Reading;
using RedisRing.SharedCache.Writing;
using Xunit.Abstractions;

namespace RedisRing.SharedCache.Tests.Writing;

public sealed class CorruptionTests(ITestOutputHelper output)
{
    [Fact]
    public void A_file_of_another_layout_version_is_rejected_and_replaced_by_the_next_full_load()
    {
        using var cache = new TempCache();
        var batch = TestRecords.Batch(40, generation: 1);
        using (var writer = SharedCacheWriter.Acquire(cache.Options))
        {
            writer.ReplaceAll(batch);
        }

        using var before = SharedCacheReader.Open(cache.Options);
        Overwrite(cache.DataFile, Layout.VersionOffset, BitConverter.GetBytes(Layout.Version + 1));

        Assert.Throws<SharedCacheCorruptException>(() => SharedCacheReader.Open(cache.Options));
        using var next = SharedCacheWriter.Acquire(cache.Options);
        Assert.True(next.NeedsFullLoad);
        Assert.Contains("layout version", next.RejectedReason, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => next.Upsert(TestRecords.Key(1), new byte[1]));

        var second = TestRecords.Batch(40, generation: 2);
        next.ReplaceAll(second);
        Assert.Equal(second[5].Value.ToArray(), before.Get(TestRecords.Key(5)));
        using var after = SharedCacheReader.Open(cache.Options);
        Assert.Equal(second[6].Value.ToArray(), after.Get(TestRecords.Key(6)));
    }

    [Fact]
    public void A_file_with_a_bad_magic_is_rejected()
    {
        using var cache = new TempCache();
        using (var writer = SharedCacheWriter.Acquire(cache.Options))
        {
            writer.ReplaceAll(TestRecords.Batch(10, generation: 1));
        }

        Overwrite(cache.DataFile, Layout.MagicOffset, "NOTACACH"u8.ToArray());
        using var next = SharedCacheWriter.Acquire(cache.Options);
        Assert.Equal("bad magic", next.RejectedReason);
        Assert.Throws<SharedCacheCorruptException>(() => SharedCacheReader.Open(cache.Options));
    }

    [Fact]
    public void Random_bit_flips_never_crash_a_reader_and_a_new_loader_either_detects_them_or_serves_exact_records()
    {
        var random = new Random(20261126);
        int detected = 0, harmless = 0;
        for (var round = 0; round < 120; round++)
        {
            using var cache = new TempCache();
            var expected = new Dictionary<int, byte[]>();
            using (var writer = SharedCacheWriter.Acquire(cache.Options))
            {
                var batch = Enumerable.Range(0, 60).Select(i => new CacheRecord(TestRecords.Key(i), TestRecords.Value(i, round, random.Next(0, 200)))).ToList();
                writer.ReplaceAll(batch);
                batch.ForEach(r => expected[expected.Count] = r.Value.ToArray());
                for (var i = 0; i < 10; i++)
                {
                    writer.Delete(TestRecords.Key(i * 5));
                    expected.Remove(i * 5);
                }
            }

            using var reader = SharedCacheReader.Open(cache.Options);
            var length = new FileInfo(cache.DataFile).Length;
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                var offset = random.Next(4) == 0 ? random.Next(0, 256) : random.NextInt64(Layout.HeaderSize, length);
                FlipBit(cache.DataFile, offset, random.Next(8));
            }

            // A reader that had the file mapped reads through every corruption without failing.
            ReadEverything(reader);
            try
            {
                using var late = SharedCacheReader.Open(cache.Options);
                ReadEverything(late);
            }
            catch (SharedCacheCorruptException)
            {
                // Rejected at open: the header was damaged.
            }

            using var loader = SharedCacheWriter.Acquire(cache.Options);
            if (loader.NeedsFullLoad)
            {
                detected++;
                loader.ReplaceAll(expected.Select(p => new CacheRecord(TestRecords.Key(p.Key), p.Value)).ToList());
            }
            else
            {
                harmless++;
            }

            // Whether the loader trusted the file or rebuilt it, every record is exactly right.
            for (var i = 0; i < 60; i++)
            {
                Assert.Equal(expected.GetValueOrDefault(i), reader.Get(TestRecords.Key(i)));
            }
        }

        output.WriteLine($"{detected} corrupted files detected and rebuilt, {harmless} flips landed where they changed nothing");
        Assert.True(detected > 20, $"only {detected} detections");
    }

    private static void ReadEverything(SharedCacheReader reader)
    {
        var buffer = new byte[256];
        for (var i = 0; i < 60; i++)
        {
            var status = reader.TryGet(TestRecords.Key(i), buffer, out _);
            Assert.True(Enum.IsDefined(status));
        }

        Assert.NotNull(reader.GetMetrics());
    }

    private static void Overwrite(string path, long offset, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        stream.Position = offset;
        stream.Write(bytes);
    }

    private static void FlipBit(string path, long offset, int bit)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        stream.Position = offset;
        var value = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(value ^ (1 << bit)));
    }
}
