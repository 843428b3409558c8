using RedisRing.SharedCache.Format;

namespace RedisRing.SharedCache.Writing;

public sealed partial class SharedCacheWriter
{
    /// <summary>
    /// Incremental update: replaces, adds or deletes only the named records. Each change is atomic
    /// for readers (one slot store); the whole set counts as one new generation.
    /// </summary>
    public void Apply(IReadOnlyList<CacheChange> changes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(changes);
        if (!_trusted || _arena is null)
        {
            throw new InvalidOperationException("The cache needs a full load before incremental changes: " + (RejectedReason ?? "no file yet"));
        }

        foreach (var change in changes)
        {
            CheckSizes(change.Key.Span, change.Value.Length);
        }

        for (var i = 0; i < changes.Count; i++)
        {
            if (!TryApply(_arena, changes[i]))
            {
                Grow(changes, i);
                return;
            }
        }

        _arena.PublishGeneration(NowUnixMs());
    }

    /// <summary>Records that the source was read successfully just now, with nothing to change.</summary>
    public void MarkLoaded()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_trusted && _arena is not null)
        {
            _arena.MarkLoaded(NowUnixMs());
        }
    }

    public void Upsert(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value) => Apply([CacheChange.Upsert(key, value)]);

    public void Delete(ReadOnlyMemory<byte> key) => Apply([CacheChange.Delete(key)]);

    /// <summary>False when the file is out of space (nothing was changed for this change then).</summary>
    private static bool TryApply(CacheArena arena, CacheChange change)
    {
        var index = arena.IndexOffset;
        if (index == 0)
        {
            index = arena.CreateIndex(CacheArena.CapacityFor(0));
            if (index < 0)
            {
                return false;
            }

            arena.PublishIndex(index);
        }

        var key = change.Key.Span;
        var hash = Hash64.Compute(key);
        var position = arena.Find(index, key, hash, out var insertAt);
        if (change.IsDelete)
        {
            if (position >= 0)
            {
                var old = arena.Slot(index, position);
                arena.SetSlot(index, position, Layout.SlotTombstone);
                arena.IndexCount(index)--;
                arena.RecordCount = arena.IndexCount(index);
                arena.FreeBlock(Layout.OffsetOf(old));
            }

            return true;
        }

        var value = change.Value.Span;
        var checksum = Hash64.Record(key, value);
        if (position >= 0 && arena.RecordEquals(Layout.OffsetOf(arena.Slot(index, position)), value, checksum))
        {
            return true;
        }

        var block = arena.WriteRecord(key, value, checksum);
        if (block < 0)
        {
            return false;
        }

        var slot = Layout.SlotFor(block, hash);
        if (position >= 0)
        {
            var old = arena.Slot(index, position);
            arena.SetSlot(index, position, slot);
            arena.FreeBlock(Layout.OffsetOf(old));
            return true;
        }

        if (arena.IndexUsed(index) + 1 > arena.IndexCapacity(index) * CacheArena.MaxLoad)
        {
            index = Rehash(arena, index);
            if (index < 0)
            {
                arena.FreeBlock(block);
                return false;
            }

            arena.Find(index, key, hash, out insertAt);
        }

        if (arena.Slot(index, insertAt) == Layout.SlotEmpty)
        {
            arena.IndexUsed(index)++;
        }

        arena.SetSlot(index, insertAt, slot);
        arena.IndexCount(index)++;
        arena.RecordCount = arena.IndexCount(index);
        return true;
    }

    /// <summary>
    /// A larger index without tombstones, built aside and published with one store; readers that
    /// were probing the old one notice its freed sequence and probe again.
    /// </summary>
    private static long Rehash(CacheArena arena, long index)
    {
        var fresh = arena.CreateIndex(CacheArena.CapacityFor(arena.IndexCount(index) + 1));
        if (fresh < 0)
        {
            return -1;
        }

        var capacity = arena.IndexCapacity(index);
        for (long position = 0; position < capacity; position++)
        {
            var slot = arena.Slot(index, position);
            if (slot > Layout.SlotTombstone)
            {
                arena.InsertFresh(fresh, Hash64.Compute(arena.RecordKey(Layout.OffsetOf(slot))), slot);
            }
        }

        arena.PublishIndex(fresh);
        arena.FreeBlock(index);
        return fresh;
    }

    /// <summary>Out of space mid-batch: copy everything into a larger file, then apply the rest there.</summary>
    private void Grow(IReadOnlyList<CacheChange> changes, int from)
    {
        var arena = _arena!;
        var records = new List<CacheRecord>();
        var index = arena.IndexOffset;
        for (long position = 0, capacity = index == 0 ? 0 : arena.IndexCapacity(index); position < capacity; position++)
        {
            var slot = arena.Slot(index, position);
            if (slot > Layout.SlotTombstone)
            {
                var block = Layout.OffsetOf(slot);
                records.Add(new CacheRecord(arena.RecordKey(block).ToArray(), arena.RecordValue(block).ToArray()));
            }
        }

        long pending = 0;
        for (var i = from; i < changes.Count; i++)
        {
            pending += CacheArena.BlockBytesFor(changes[i].Key.Length, changes[i].Value.Length);
        }

        BuildNewFile(records, Math.Max(arena.ArenaSize * 2, (arena.Allocator.UsedBytes + pending) * 2));
        var rest = new List<CacheChange>(changes.Count - from);
        for (var i = from; i < changes.Count; i++)
        {
            rest.Add(changes[i]);
        }

        Apply(rest);
    }
}
