using RedisRing.SharedCache.Allocation;
using RedisRing.SharedCache.Format;

namespace RedisRing.SharedCache.Writing;

/// <summary>
/// The loader's view of one mapped cache file: allocation, record writing and the hash index.
/// Readers in other processes run concurrently, so every change that they can reach is made in an
/// order they can validate: a block is complete before its even sequence is stored, the sequence
/// before an index slot points at it, and a block is marked odd before it is freed or reused.
/// </summary>
internal sealed unsafe partial class CacheArena : IDisposable
{
    private readonly byte* _file;

    public CacheArena(MappedFile mapped)
    {
        Mapped = mapped;
        _file = mapped.Base;
        Allocator = new BuddyAllocator(_file, Layout.HeaderSize, Header.MaxOrder(_file));
    }

    public MappedFile Mapped { get; }

    public BuddyAllocator Allocator { get; }

    public long ArenaSize => Allocator.ArenaSize;

    public ulong FileId => Header.FileId(_file);

    /// <summary>The current index block's offset (0 before the first load of a new file).</summary>
    public long IndexOffset => (long)Volatile.Read(ref Mapped.U64(Layout.IndexOffsetOffset));

    public long RecordCount
    {
        get => (long)Mapped.U64(Layout.RecordCountOffset);
        set => Volatile.Write(ref Mapped.U64(Layout.RecordCountOffset), (ulong)value);
    }

    /// <summary>Creates and maps a new file with an empty arena of 2^<paramref name="maxOrder"/> bytes.</summary>
    public static CacheArena CreateNew(string path, ulong fileId, int maxOrder, ulong fileGeneration, ulong generation, ulong stampCounter)
    {
        var mapped = MappedFile.Create(path, Layout.HeaderSize + (1L << maxOrder));
        Header.Initialize(mapped.Base, mapped.Length, maxOrder, (ulong)Random.Shared.NextInt64(), fileId, fileGeneration);
        mapped.U64(Layout.StampCounterOffset) = stampCounter;
        mapped.U64(Layout.GenerationOffset) = generation;
        var arena = new CacheArena(mapped);
        arena.Allocator.Reset();
        return arena;
    }

    /// <summary>
    /// A fresh even sequence value, unique in this file. Mixed with the file's random secret so that
    /// record bytes written by a source cannot be crafted to equal a stamp a slow reader expects.
    /// </summary>
    public ulong NextStamp()
    {
        var counter = ++Mapped.U64(Layout.StampCounterOffset);
        var stamp = Hash64.Finish(counter ^ Mapped.U64(Layout.StampSecretOffset)) & ~1UL;
        return stamp == 0 ? 2 : stamp;
    }

    /// <summary>
    /// Announces a new loader: any reader that started before sees the epoch change and retries, so
    /// blocks that a killed loader left unreachable can be reused safely.
    /// </summary>
    public void BumpEpoch()
    {
        Interlocked.Increment(ref *(long*)(_file + Layout.EpochOffset));
        Interlocked.MemoryBarrier();
    }

    public void PublishGeneration(long lastLoadUnixMs)
    {
        Volatile.Write(ref Mapped.U64(Layout.LastLoadUnixMsOffset), (ulong)lastLoadUnixMs);
        Interlocked.Increment(ref *(long*)(_file + Layout.GenerationOffset));
        Mapped.U64(Layout.WriterPidOffset) = (ulong)Environment.ProcessId;
    }

    public void MarkLoaded(long lastLoadUnixMs) =>
        Volatile.Write(ref Mapped.U64(Layout.LastLoadUnixMsOffset), (ulong)lastLoadUnixMs);

    public void MarkRetired()
    {
        Volatile.Write(ref Mapped.U64(Layout.RetiredOffset), Layout.RetiredMark);
        Interlocked.MemoryBarrier();
    }

    public byte Kind(long block) => _file[block + Layout.BlockKindOffset];

    public int Order(long block) => _file[block + Layout.BlockOrderOffset];

    public void FreeBlock(long block) => Allocator.Free(block, Order(block));

    public void Dispose() => Mapped.Dispose();
}
