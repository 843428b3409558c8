using RedisRing.SharedCache.Format;

namespace RedisRing.SharedCache.Writing;

/// <summary>
/// What a new loader checks before it trusts a file it did not write: the header, the index block,
/// every slot and every record (bounds, alignment, order, lengths, checksum), and that no two blocks
/// overlap. The allocator's free lists are then derived again from the live blocks, so whatever a
/// killed loader left half-done in them does not matter.
/// </summary>
internal sealed unsafe partial class CacheArena
{
    /// <summary>Whether <see cref="VerifyAndRecover"/> found the index counts off from the slots and set them again.</summary>
    public bool CountsRecovered { get; private set; }

    /// <summary>Null when the file can be trusted (and the allocator and counts were rebuilt), else the reason.</summary>
    public string? VerifyAndRecover()
    {
        var reason = Header.Validate(_file, Mapped.Length);
        if (reason is not null)
        {
            return reason;
        }

        var live = new List<(long Offset, int Order)>();
        var index = IndexOffset;
        if (index == 0)
        {
            Allocator.Rebuild(live);
            return null;
        }

        reason = CheckBlock(index, Layout.KindIndex);
        if (reason is not null)
        {
            return "index: " + reason;
        }

        var capacity = IndexCapacity(index);
        if (capacity < 1 || (capacity & (capacity - 1)) != 0 || Layout.IndexHeaderSize + (capacity * 8) > 1L << Order(index))
        {
            return "index capacity out of range";
        }

        live.Add((index, Order(index)));
        long count = 0;
        long used = 0;
        for (long position = 0; position < capacity; position++)
        {
            var slot = Slot(index, position);
            if (slot == Layout.SlotEmpty)
            {
                continue;
            }

            used++;
            if (slot == Layout.SlotTombstone)
            {
                continue;
            }

            var block = Layout.OffsetOf(slot);
            reason = CheckBlock(block, Layout.KindRecord) ?? CheckRecord(block, slot);
            if (reason is not null)
            {
                return $"slot {position}: {reason}";
            }

            live.Add((block, Order(block)));
            count++;
        }

        // The counts are bookkeeping beside the slots, updated after a slot store: a loader killed
        // between the two leaves them one off. The slots are the truth, so the counts are taken from
        // them; rejecting the file for it would cost a rebuild (and, before, a file twice the size).
        if (count != IndexCount(index) || used != IndexUsed(index) || count != RecordCount)
        {
            IndexCount(index) = count;
            IndexUsed(index) = used;
            RecordCount = count;
            CountsRecovered = true;
        }

        live.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        for (var i = 1; i < live.Count; i++)
        {
            if (live[i - 1].Offset + (1L << live[i - 1].Order) > live[i].Offset)
            {
                return $"blocks at {live[i - 1].Offset} and {live[i].Offset} overlap";
            }
        }

        Allocator.Rebuild(live);
        return null;
    }

    private string? CheckBlock(long block, byte kind)
    {
        if (block < Layout.HeaderSize || block > Mapped.Length - 64)
        {
            return $"offset {block} outside the arena";
        }

        var order = Order(block);
        if (order < Layout.MinOrder || order > Allocator.MaxOrder)
        {
            return $"block {block} has order {order}";
        }

        var relative = block - Layout.HeaderSize;
        if ((relative & ((1L << order) - 1)) != 0 || relative + (1L << order) > ArenaSize)
        {
            return $"block {block} misaligned or past the end";
        }

        var seq = Mapped.U64(block + Layout.BlockSeqOffset);
        if (seq == 0 || (seq & 1) != 0)
        {
            return $"block {block} has no stamp";
        }

        return Kind(block) == kind ? null : $"block {block} has kind {Kind(block)}";
    }

    private string? CheckRecord(long block, ulong slot)
    {
        var header = _file + block;
        var keyLength = *(int*)(header + Layout.RecordKeyLengthOffset);
        var valueLength = *(int*)(header + Layout.RecordValueLengthOffset);
        if (keyLength < 0 || keyLength > Layout.MaxKeyLength || valueLength < 0 || valueLength > Layout.MaxValueLength
            || Layout.RecordHeaderSize + (long)keyLength + valueLength > 1L << Order(block))
        {
            return $"record {block} lengths out of range";
        }

        var key = RecordKey(block);
        if (Hash64.Record(key, RecordValue(block)) != RecordChecksum(block))
        {
            return $"record {block} checksum mismatch";
        }

        return Layout.TagMatches(slot, Hash64.Compute(key)) ? null : $"record {block} is under the wrong hash tag";
    }
}
