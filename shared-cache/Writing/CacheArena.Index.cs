using System.Numerics;
using RedisRing.SharedCache.Allocation;
using RedisRing.SharedCache.Format;

namespace RedisRing.SharedCache.Writing;

/// <summary>
/// The hash index: one block holding an open-addressing table of 64-bit slots with linear probing.
/// A slot is empty (0), a tombstone (1), or a block address in 64-byte units with the top 24 bits of
/// the key hash as a tag. Deletion leaves a tombstone so a concurrent reader's probe chain never
/// breaks; an update replaces the slot in one atomic store so the key never disappears.
/// </summary>
internal sealed unsafe partial class CacheArena
{
    public const double MaxLoad = 0.7;

    public static long CapacityFor(long records) => (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(16, records * 2));

    public static long IndexBytesFor(long capacity) => 1L << BuddyAllocator.OrderFor(Layout.IndexHeaderSize + (capacity * 8));

    /// <summary>Allocates an empty index block; -1 when it does not fit.</summary>
    public long CreateIndex(long capacity)
    {
        var block = Allocator.Allocate(BuddyAllocator.OrderFor(Layout.IndexHeaderSize + (capacity * 8)));
        if (block < 0)
        {
            return -1;
        }

        var header = _file + block;
        header[Layout.BlockKindOffset] = Layout.KindIndex;
        *(long*)(header + Layout.IndexCapacityOffset) = capacity;
        *(long*)(header + Layout.IndexCountOffset) = 0;
        *(long*)(header + Layout.IndexUsedOffset) = 0;
        *(long*)(header + Layout.IndexVersionOffset) = 0;
        System.Runtime.InteropServices.NativeMemory.Clear(header + Layout.IndexHeaderSize, (nuint)(capacity * 8));

        // The sequence stays odd until PublishIndex: a reader that followed a stale header offset to
        // this spot must not accept a miss in a half-filled table that later gets published here.
        return block;
    }

    public long IndexCapacity(long index) => *(long*)(_file + index + Layout.IndexCapacityOffset);

    public ref long IndexCount(long index) => ref *(long*)(_file + index + Layout.IndexCountOffset);

    public ref long IndexUsed(long index) => ref *(long*)(_file + index + Layout.IndexUsedOffset);

    public ref ulong Slot(long index, long position) => ref *(ulong*)(_file + index + Layout.IndexHeaderSize + (position * 8));

    /// <summary>
    /// Finds the key: returns its slot position, or -1 with <paramref name="insertAt"/> set to the
    /// first reusable slot (tombstone or empty) on its probe chain.
    /// </summary>
    public long Find(long index, ReadOnlySpan<byte> key, ulong hash, out long insertAt)
    {
        var capacity = IndexCapacity(index);
        var mask = capacity - 1;
        insertAt = -1;
        for (long n = 0, position = (long)(hash & (ulong)mask); n < capacity; n++, position = (position + 1) & mask)
        {
            var slot = Slot(index, position);
            if (slot == Layout.SlotEmpty)
            {
                if (insertAt < 0)
                {
                    insertAt = position;
                }

                return -1;
            }

            if (slot == Layout.SlotTombstone)
            {
                if (insertAt < 0)
                {
                    insertAt = position;
                }

                continue;
            }

            if (Layout.TagMatches(slot, hash) && RecordKey(Layout.OffsetOf(slot)).SequenceEqual(key))
            {
                return position;
            }
        }

        return -1;
    }

    /// <summary>
    /// Changes a slot of the published index with one atomic store, after everything it points to.
    /// The index version is bumped first: a reader that probed while any slot changed (and so may
    /// have skipped its key's slot while the block behind it was being replaced) sees the new version
    /// and probes again instead of reporting a miss.
    /// </summary>
    public void SetSlot(long index, long position, ulong value)
    {
        ref var version = ref *(ulong*)(_file + index + Layout.IndexVersionOffset);
        Volatile.Write(ref version, version + 1);
        Volatile.Write(ref Slot(index, position), value);
    }

    /// <summary>
    /// Inserts into an index no reader can see yet (it has no tombstones) in one probe; when the key
    /// is already there, returns its position and changes nothing.
    /// </summary>
    public long InsertUnlessPresent(long index, ReadOnlySpan<byte> key, ulong hash, ulong slotValue)
    {
        var mask = IndexCapacity(index) - 1;
        var position = (long)(hash & (ulong)mask);
        while (true)
        {
            var slot = Slot(index, position);
            if (slot == Layout.SlotEmpty)
            {
                Slot(index, position) = slotValue;
                IndexCount(index)++;
                IndexUsed(index)++;
                return -1;
            }

            if (Layout.TagMatches(slot, hash) && RecordKey(Layout.OffsetOf(slot)).SequenceEqual(key))
            {
                return position;
            }

            position = (position + 1) & mask;
        }
    }

    /// <summary>Inserts into an index no reader can see yet (no tombstones, no key check).</summary>
    public void InsertFresh(long index, ulong hash, ulong slotValue)
    {
        var mask = IndexCapacity(index) - 1;
        var position = (long)(hash & (ulong)mask);
        while (Slot(index, position) != Layout.SlotEmpty)
        {
            position = (position + 1) & mask;
        }

        Slot(index, position) = slotValue;
        IndexCount(index)++;
        IndexUsed(index)++;
    }

    /// <summary>Stamps a complete index and switches readers to it with one atomic store.</summary>
    public void PublishIndex(long index)
    {
        Volatile.Write(ref *(ulong*)(_file + index + Layout.BlockSeqOffset), NextStamp());
        RecordCount = IndexCount(index);
        Volatile.Write(ref Mapped.U64(Layout.IndexOffsetOffset), (ulong)index);
    }
}
