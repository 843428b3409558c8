using RedisRing.SharedCache.Allocation;
using RedisRing.SharedCache.Format;

namespace RedisRing.SharedCache.Writing;

internal sealed unsafe partial class CacheArena
{
    public static long BlockBytesFor(int keyLength, int valueLength) =>
        1L << BuddyAllocator.OrderFor(Layout.RecordHeaderSize + (long)keyLength + valueLength);

    /// <summary>Writes a record into a new block and stamps it; -1 when no block is free.</summary>
    public long WriteRecord(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong checksum)
    {
        var order = BuddyAllocator.OrderFor(Layout.RecordHeaderSize + (long)key.Length + value.Length);
        var block = Allocator.Allocate(order);
        if (block < 0)
        {
            return -1;
        }

        // The block's sequence is odd since it was freed, so readers that still hold an old pointer
        // here keep retrying until the final stamp below, whatever they see in between.
        var header = _file + block;
        header[Layout.BlockKindOffset] = Layout.KindRecord;
        *(int*)(header + Layout.RecordKeyLengthOffset) = key.Length;
        *(int*)(header + Layout.RecordValueLengthOffset) = value.Length;
        *(ulong*)(header + Layout.RecordChecksumOffset) = checksum;
        key.CopyTo(new Span<byte>(header + Layout.RecordHeaderSize, key.Length));
        value.CopyTo(new Span<byte>(header + Layout.RecordHeaderSize + key.Length, value.Length));
        Volatile.Write(ref *(ulong*)(header + Layout.BlockSeqOffset), NextStamp());
        return block;
    }

    public ReadOnlySpan<byte> RecordKey(long block)
    {
        var header = _file + block;
        return new ReadOnlySpan<byte>(header + Layout.RecordHeaderSize, *(int*)(header + Layout.RecordKeyLengthOffset));
    }

    public ReadOnlySpan<byte> RecordValue(long block)
    {
        var header = _file + block;
        var keyLength = *(int*)(header + Layout.RecordKeyLengthOffset);
        return new ReadOnlySpan<byte>(header + Layout.RecordHeaderSize + keyLength, *(int*)(header + Layout.RecordValueLengthOffset));
    }

    public ulong RecordChecksum(long block) => *(ulong*)(_file + block + Layout.RecordChecksumOffset);

    /// <summary>True when the block already holds exactly this value (a full reload then keeps it).</summary>
    public bool RecordEquals(long block, ReadOnlySpan<byte> value, ulong checksum) =>
        RecordChecksum(block) == checksum && RecordValue(block).SequenceEqual(value);
}
