namespace RedisRing.SharedCache.Format;

/// <summary>
/// Byte offsets and constants of the cache file (layout version 1). Every offset is from the start
/// of the file; nothing in the file is a pointer. docs/shared-cache.md draws the same layout.
/// </summary>
internal static class Layout
{
    /// <summary>"RRSCACHE" little-endian: the first eight bytes of every cache file.</summary>
    public const ulong Magic = 0x4548434143535252;

    /// <summary>Bumped whenever any offset or meaning below changes; older files are rebuilt.</summary>
    public const uint Version = 1;

    public const int HeaderSize = 4096;

    // Immutable header part, covered by HeaderChecksum.
    public const int MagicOffset = 0;
    public const int VersionOffset = 8;
    public const int HeaderSizeOffset = 12;
    public const int FileSizeOffset = 16;
    public const int ArenaOffsetOffset = 24;
    public const int ArenaSizeOffset = 32;
    public const int MinOrderOffset = 40;
    public const int MaxOrderOffset = 44;
    public const int StampSecretOffset = 48;
    public const int FileIdOffset = 56;
    public const int ImmutableEnd = 64;
    public const int HeaderChecksumOffset = 64;

    // Mutable header part: written by the loader only, every value validated where it is used.
    public const int RetiredOffset = 128;
    public const int IndexOffsetOffset = 136;
    public const int EpochOffset = 144;
    public const int GenerationOffset = 152;
    public const int RecordCountOffset = 160;
    public const int LastLoadUnixMsOffset = 168;
    public const int StampCounterOffset = 176;
    public const int UsedBytesOffset = 184;
    public const int WriterPidOffset = 192;
    public const int FileGenerationOffset = 200;
    public const int FreeCountsOffset = 256;
    public const int FreeHeadsOffset = 768;

    /// <summary>Orders are log2 of block sizes; 64 slots cover every possible order.</summary>
    public const int OrderSlots = 64;

    /// <summary>Written into the header of a file that a newer file has replaced.</summary>
    public const ulong RetiredMark = 0x4445524954455221;

    /// <summary>Smallest block: 64 bytes, one cache line; index slots address blocks in these units.</summary>
    public const int MinOrder = 6;

    public const int UnitShift = MinOrder;

    // Block header, at the start of every block.
    public const int BlockSeqOffset = 0;
    public const int BlockOrderOffset = 8;
    public const int BlockKindOffset = 9;

    // Record block.
    public const int RecordKeyLengthOffset = 12;
    public const int RecordValueLengthOffset = 16;
    public const int RecordChecksumOffset = 24;
    public const int RecordHeaderSize = 32;

    // Index block.
    public const int IndexCapacityOffset = 16;
    public const int IndexCountOffset = 24;
    public const int IndexUsedOffset = 32;

    /// <summary>Bumped before every in-place slot change of a published index.</summary>
    public const int IndexVersionOffset = 40;
    public const int IndexHeaderSize = 64;

    // Free block: doubly linked free list per order, links are file offsets (0 = none).
    public const int FreeNextOffset = 16;
    public const int FreePrevOffset = 24;

    /// <summary>Odd sequence value of a free block: readers treat any odd value as "changing".</summary>
    public const ulong FreeSeq = 1;

    public const byte KindFree = 0xF0;
    public const byte KindRecord = 0x5C;
    public const byte KindIndex = 0x1D;

    public const ulong SlotEmpty = 0;
    public const ulong SlotTombstone = 1;
    public const int SlotTagShift = 40;
    public const ulong SlotUnitMask = (1UL << SlotTagShift) - 1;

    public const int MaxKeyLength = 1024;
    public const int MaxValueLength = 16 * 1024 * 1024;

    public static ulong SlotFor(long blockOffset, ulong keyHash) =>
        ((keyHash >> SlotTagShift) << SlotTagShift) | ((ulong)blockOffset >> UnitShift);

    public static bool TagMatches(ulong slot, ulong keyHash) => (slot >> SlotTagShift) == (keyHash >> SlotTagShift);

    public static long OffsetOf(ulong slot) => (long)((slot & SlotUnitMask) << UnitShift);
}
