using RedisRing.SharedCache.Format;

namespace RedisRing.SharedCache.Writing;

public sealed partial class SharedCacheWriter
{
    /// <summary>
    /// Full batch reload: the batch becomes the whole content, atomically. A new index is built next
    /// to the published one (records whose bytes did not change keep their blocks), published with one
    /// store, and only then are the old index and the replaced records freed. Readers see either the
    /// previous generation or this one, and so does a process that survives the loader being killed.
    /// </summary>
    public void ReplaceAll(IReadOnlyCollection<CacheRecord> records)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            CheckSizes(record.Key.Span, record.Value.Length);
        }

        if (_trusted && _arena is not null && TryReplaceAll(_arena, records))
        {
            _arena.PublishGeneration(NowUnixMs());
            return;
        }

        // Out of room in a trusted file: grow. Replacing a file that was not trusted: its size was
        // fine (BuildNewFile still makes room for twice the batch), so it costs no growth.
        BuildNewFile(records, _arena is null ? 0 : _trusted ? _arena.ArenaSize * 2 : _arena.ArenaSize);
    }

    private static bool TryReplaceAll(CacheArena arena, IReadOnlyCollection<CacheRecord> records)
    {
        var oldIndex = arena.IndexOffset;
        var newIndex = arena.CreateIndex(CacheArena.CapacityFor(records.Count));
        if (newIndex < 0)
        {
            return false;
        }

        var reused = oldIndex == 0 ? [] : new bool[arena.IndexCapacity(oldIndex)];
        var written = new List<long>();
        foreach (var record in records)
        {
            var key = record.Key.Span;
            var value = record.Value.Span;
            var hash = Hash64.Compute(key);
            var checksum = Hash64.Record(key, value);
            var oldPosition = oldIndex == 0 ? -1 : arena.Find(oldIndex, key, hash, out _);
            ulong slot;
            if (oldPosition >= 0 && arena.RecordEquals(Layout.OffsetOf(arena.Slot(oldIndex, oldPosition)), value, checksum))
            {
                slot = arena.Slot(oldIndex, oldPosition);
                reused[oldPosition] = true;
            }
            else
            {
                var block = arena.WriteRecord(key, value, checksum);
                if (block < 0)
                {
                    // Out of space: undo, nothing was published; the caller grows the file.
                    foreach (var written1 in written)
                    {
                        arena.FreeBlock(written1);
                    }

                    arena.FreeBlock(newIndex);
                    return false;
                }

                written.Add(block);
                slot = Layout.SlotFor(block, hash);
            }

            var duplicate = arena.InsertUnlessPresent(newIndex, key, hash, slot);
            if (duplicate < 0)
            {
                continue;
            }

            // The batch names this key twice: the last one wins.
            var replaced = arena.Slot(newIndex, duplicate);
            arena.Slot(newIndex, duplicate) = slot;
            if (replaced != slot && oldPosition >= 0 && arena.Slot(oldIndex, oldPosition) == replaced)
            {
                reused[oldPosition] = false;
            }
            else if (replaced != slot && written.Remove(Layout.OffsetOf(replaced)))
            {
                arena.FreeBlock(Layout.OffsetOf(replaced));
            }
        }

        arena.PublishIndex(newIndex);
        if (oldIndex != 0)
        {
            var replaced = new List<long>();
            for (long position = 0; position < reused.Length; position++)
            {
                var slot = arena.Slot(oldIndex, position);
                if (slot > Layout.SlotTombstone && !reused[position])
                {
                    replaced.Add(Layout.OffsetOf(slot));
                }
            }

            replaced.Add(oldIndex);
            arena.Allocator.MarkChanging(replaced);
            foreach (var block in replaced)
            {
                arena.Allocator.FreeMarked(block, arena.Order(block));
            }
        }

        return true;
    }

    /// <summary>
    /// Writes the batch into a new, larger file and publishes it. Used for the first load, to replace
    /// a file that was not trusted, and for growth.
    /// </summary>
    private void BuildNewFile(IReadOnlyCollection<CacheRecord> records, long atLeast)
    {
        long needed = CacheArena.IndexBytesFor(CacheArena.CapacityFor(records.Count));
        foreach (var record in records)
        {
            needed += CacheArena.BlockBytesFor(record.Key.Length, record.Value.Length);
        }

        // Twice what the batch needs: room for the next full reload beside this one.
        var size = Math.Max(_options.InitialArenaBytes, Math.Max(atLeast, needed * 2));
        var order = Allocation.BuddyAllocator.OrderFor(size);
        var fileGeneration = _arena is null ? 1 : _arena.Mapped.U64(Layout.FileGenerationOffset) + 1;
        var stamps = _arena is null ? 0 : _arena.Mapped.U64(Layout.StampCounterOffset);
        var generation = _arena is null ? 0 : _arena.Mapped.U64(Layout.GenerationOffset);
        while (true)
        {
            if (1L << order > _options.MaxArenaBytes)
            {
                throw new SharedCacheFullException($"{records.Count} records need more than the {_options.MaxArenaBytes} bytes allowed.");
            }

            var fileId = (ulong)Random.Shared.NextInt64() | 1;
            var fresh = CacheArena.CreateNew(CacheFiles.DataPath(_options.Path, fileId), fileId, order, fileGeneration, generation, stamps);
            bool loaded;
            try
            {
                loaded = TryReplaceAll(fresh, records);
            }
            catch
            {
                fresh.Dispose();
                TryDelete(fresh.Mapped.Path);
                throw;
            }

            if (loaded)
            {
                fresh.PublishGeneration(NowUnixMs());
                Publish(fresh);
                return;
            }

            fresh.Dispose();
            TryDelete(fresh.Mapped.Path);
            order++;
        }
    }
}
