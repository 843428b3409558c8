using System.Numerics;
using RedisRing.SharedCache.Format;

namespace RedisRing.SharedCache.Allocation;

/// <summary>
/// The loader's buddy allocator over the arena of a cache file. Blocks are 2^order bytes, aligned to
/// their size relative to the arena start; the buddy of a block is found by flipping one offset bit.
/// Free blocks of each order form a doubly linked list threaded through the blocks themselves, with
/// the heads and per-order counts in the file header, so other processes can read the statistics.
/// Only the process holding the loader lock calls it. Every block it frees is first marked with an
/// odd sequence, and that store is fenced before the block's bytes are reused, which is what lets a
/// slow reader notice that a block it is copying has been freed.
/// </summary>
internal sealed unsafe class BuddyAllocator
{
    private readonly byte* _file;
    private readonly byte* _arena;
    private readonly long _arenaOffset;
    private readonly int _maxOrder;

    public BuddyAllocator(byte* file, long arenaOffset, int maxOrder)
    {
        _file = file;
        _arenaOffset = arenaOffset;
        _arena = file + arenaOffset;
        _maxOrder = maxOrder;
    }

    public int MaxOrder => _maxOrder;

    public long ArenaSize => 1L << _maxOrder;

    /// <summary>Bytes in allocated blocks (including their internal waste).</summary>
    public long UsedBytes
    {
        get => *(long*)(_file + Layout.UsedBytesOffset);
        private set => *(long*)(_file + Layout.UsedBytesOffset) = value;
    }

    /// <summary>The order of the smallest block that holds <paramref name="bytes"/> bytes.</summary>
    public static int OrderFor(long bytes) =>
        Math.Max(Layout.MinOrder, 64 - BitOperations.LeadingZeroCount((ulong)Math.Max(bytes, 1) - 1));

    /// <summary>Makes the whole arena one free block of the top order.</summary>
    public void Reset()
    {
        for (var order = 0; order < Layout.OrderSlots; order++)
        {
            FreeHead(order) = 0;
            FreeCount(order) = 0;
        }

        UsedBytes = 0;
        Push(_arenaOffset, _maxOrder);
    }

    /// <summary>
    /// Rebuilds the free lists from the blocks known to be live (sorted by offset, not overlapping,
    /// aligned): every gap becomes the largest aligned free blocks that fit, which are exactly the
    /// coalesced free blocks a buddy system holds with those blocks allocated.
    /// </summary>
    public void Rebuild(IReadOnlyList<(long Offset, int Order)> liveSorted)
    {
        for (var order = 0; order < Layout.OrderSlots; order++)
        {
            FreeHead(order) = 0;
            FreeCount(order) = 0;
        }

        long used = 0;
        long position = 0;
        foreach (var (offset, order) in liveSorted)
        {
            var relative = offset - _arenaOffset;
            FillGap(position, relative);
            position = relative + (1L << order);
            used += 1L << order;
        }

        FillGap(position, ArenaSize);
        UsedBytes = used;
    }

    private void FillGap(long from, long to)
    {
        while (from < to)
        {
            var order = from == 0 ? _maxOrder : Math.Min(_maxOrder, BitOperations.TrailingZeroCount(from));
            while (from + (1L << order) > to)
            {
                order--;
            }

            Push(_arenaOffset + from, order);
            from += 1L << order;
        }
    }

    /// <summary>Allocates a block of <paramref name="order"/>; returns its file offset, or -1 when none is free.</summary>
    public long Allocate(int order)
    {
        if (order < Layout.MinOrder || order > _maxOrder)
        {
            return -1;
        }

        var found = order;
        while (found <= _maxOrder && FreeHead(found) == 0)
        {
            found++;
        }

        if (found > _maxOrder)
        {
            return -1;
        }

        var block = FreeHead(found);
        Remove(block, found);
        while (found > order)
        {
            // Split: keep the lower half, free the upper half (its buddy).
            found--;
            Push(block + (1L << found), found);
        }

        var header = _file + block;
        *(byte*)(header + Layout.BlockOrderOffset) = (byte)order;
        UsedBytes += 1L << order;
        return block;
    }

    /// <summary>Frees a block and coalesces it with its free buddies.</summary>
    public void Free(long block, int order)
    {
        MarkChanging(block);
        FreeMarked(block, order);
    }

    /// <summary>
    /// Marks many blocks as changing with one fence for all of them (a full reload frees up to
    /// every record); the caller then frees each with <see cref="FreeMarked"/>.
    /// </summary>
    public void MarkChanging(IEnumerable<long> blocks)
    {
        foreach (var block in blocks)
        {
            Volatile.Write(ref *(ulong*)(_file + block + Layout.BlockSeqOffset), Layout.FreeSeq);
        }

        Interlocked.MemoryBarrier();
    }

    /// <summary>Frees a block already marked changing (and fenced), coalescing it with its free buddies.</summary>
    public void FreeMarked(long block, int order)
    {
        UsedBytes -= 1L << order;
        while (order < _maxOrder)
        {
            var buddy = _arenaOffset + ((block - _arenaOffset) ^ (1L << order));
            var buddyHeader = _file + buddy;
            // In a consistent arena the buddy's first bytes are always a real block header (the buddy
            // itself or its first sub-block), never record data, so kind and order can be trusted.
            if (buddyHeader[Layout.BlockKindOffset] != Layout.KindFree || buddyHeader[Layout.BlockOrderOffset] != order)
            {
                break;
            }

            Remove(buddy, order);
            block = Math.Min(block, buddy);
            order++;
        }

        Push(block, order);
    }

    /// <summary>Marks a block as changing before its bytes are touched: readers copying it will retry.</summary>
    public void MarkChanging(long block)
    {
        Volatile.Write(ref *(ulong*)(_file + block + Layout.BlockSeqOffset), Layout.FreeSeq);
        // The odd sequence must be visible before any later store reuses these bytes.
        Interlocked.MemoryBarrier();
    }

    public ref long FreeCount(int order) => ref *(long*)(_file + Layout.FreeCountsOffset + (order * 8));

    private ref long FreeHead(int order) => ref *(long*)(_file + Layout.FreeHeadsOffset + (order * 8));

    private void Push(long block, int order)
    {
        var header = _file + block;
        Volatile.Write(ref *(ulong*)(header + Layout.BlockSeqOffset), Layout.FreeSeq);
        header[Layout.BlockOrderOffset] = (byte)order;
        header[Layout.BlockKindOffset] = Layout.KindFree;
        var head = FreeHead(order);
        *(long*)(header + Layout.FreeNextOffset) = head;
        *(long*)(header + Layout.FreePrevOffset) = 0;
        if (head != 0)
        {
            *(long*)(_file + head + Layout.FreePrevOffset) = block;
        }

        FreeHead(order) = block;
        FreeCount(order)++;
    }

    private void Remove(long block, int order)
    {
        var header = _file + block;
        var next = *(long*)(header + Layout.FreeNextOffset);
        var prev = *(long*)(header + Layout.FreePrevOffset);
        if (prev != 0)
        {
            *(long*)(_file + prev + Layout.FreeNextOffset) = next;
        }
        else
        {
            FreeHead(order) = next;
        }

        if (next != 0)
        {
            *(long*)(_file + next + Layout.FreePrevOffset) = prev;
        }

        // No longer free: a later Free must not mistake it for a free buddy.
        header[Layout.BlockKindOffset] = 0;
        FreeCount(order)--;
    }
}
