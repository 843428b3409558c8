using System.Diagnostics;
using RedisRing.SharedCache.Format;
using RedisRing.SharedCache.Writing;

namespace RedisRing.SharedCache.StressHost;

/// <summary>
/// A loader killed at one precise instant that random kills almost never hit: after the index slot
/// of a new record is stored (readers can already find it) and before the index and header counts
/// are updated. It loads the stable keys, then takes the first steps of adding "added:0" exactly as
/// the writer's incremental path does (write the record, count the slot as used, store it), and
/// sends itself SIGKILL. The next loader finds counts one short of the slots.
/// </summary>
internal static class MidRecordKill
{
    public static int Run(SharedCacheOptions options)
    {
        var writer = SharedCacheWriter.Acquire(options);
        var random = new Random(1);
        long counter = 0;
        var batch = new List<CacheRecord>();
        for (var i = 0; i < Keys.Stable; i++)
        {
            var key = Keys.StableKey(i);
            batch.Add(new CacheRecord(key, SelfCheckedValue.Create(key, ++counter, 100, random)));
        }

        writer.ReplaceAll(batch);
        var metrics = writer.GetMetrics();
        Console.WriteLine($"loader: ready records={metrics.RecordCount} fileGeneration={metrics.FileGeneration} arenaBytes={metrics.ArenaBytes}");

        // The same steps, in the same order, as SharedCacheWriter.TryApply for a new key.
        var arena = writer.Arena!;
        var index = arena.IndexOffset;
        var added = "added:0"u8.ToArray();
        var value = SelfCheckedValue.Create(added, ++counter, 100, random);
        var hash = Hash64.Compute(added);
        arena.Find(index, added, hash, out var insertAt);
        var block = arena.WriteRecord(added, value, Hash64.Record(added, value));
        if (arena.Slot(index, insertAt) == Layout.SlotEmpty)
        {
            arena.IndexUsed(index)++;
        }

        arena.SetSlot(index, insertAt, Layout.SlotFor(block, hash));
        Console.WriteLine("loader: slot stored, counts not");
        Console.Out.Flush();
        Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite);
        return 1;
    }
}
