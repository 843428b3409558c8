using RedisRing.SharedCache.Reading;
using RedisRing.SharedCache.Writing;
using Xunit.Abstractions;

namespace RedisRing.SharedCache.Tests.CrossProcess;

/// <summary>
/// A loader process killed between storing a new record's index slot and updating the counts (the
/// stress host's die-mid-record role stops itself exactly there with SIGKILL). The next loader used
/// to reject the file for its counts and write every record into a new file twice the size; now it
/// takes the counts from the slots, trusts the file and keeps it.
/// </summary>
[Collection(CrossProcessCollection.Name)]
public sealed class MidRecordKillTests(ITestOutputHelper output) : IDisposable
{
    private const int StableKeys = 200;
    private readonly TempCache _cache = new();

    [Fact]
    public async Task A_loader_killed_between_a_record_and_its_counts_costs_the_next_loader_no_new_file()
    {
        await using (var killed = StressHostProcess.Start("die-mid-record", _cache.Path, TimeSpan.FromSeconds(1), output))
        {
            Assert.NotEqual(0, await killed.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("slot stored, counts not", killed.ReadLog(), StringComparison.Ordinal);
        }

        var dataFile = _cache.DataFile;
        using var reader = SharedCacheReader.Open(_cache.Options);
        Assert.NotNull(reader.Get("added:0")); // readers could find the record the moment its slot was stored
        var before = reader.GetMetrics();
        Assert.Equal(StableKeys, before.RecordCount); // the header count was not updated

        using var writer = SharedCacheWriter.Acquire(_cache.Options);
        Assert.Null(writer.RejectedReason);
        Assert.True(writer.CountsRecovered);
        Assert.False(writer.NeedsFullLoad);
        Assert.Equal(StableKeys + 1, writer.GetMetrics().RecordCount);

        // Incremental changes go on in the same file, and so does a full reload of the same size.
        writer.Upsert("added:1"u8.ToArray(), new byte[100]);
        writer.ReplaceAll(Enumerable.Range(0, StableKeys).Select(i => new CacheRecord(System.Text.Encoding.UTF8.GetBytes($"stable:{i}"), new byte[128])).ToList());
        var after = writer.GetMetrics();
        Assert.Equal(StableKeys, after.RecordCount);
        Assert.Equal(before.FileGeneration, after.FileGeneration);
        Assert.Equal(before.ArenaBytes, after.ArenaBytes);
        Assert.Equal(dataFile, _cache.DataFile);
        Assert.Null(reader.Get("added:0"));
        Assert.Equal(new byte[128], reader.Get("stable:7"));
    }

    public void Dispose() => _cache.Dispose();
}
