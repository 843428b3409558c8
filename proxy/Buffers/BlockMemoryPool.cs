using System.Buffers;

namespace RedisRing.Proxy.Buffers;

/// <summary>
/// Fixed-size blocks for the socket pipes, kept for reuse by the proxy alone (the idea of
/// Kestrel's pinned block pool). The epoll transport takes a receive block when bytes arrive and
/// gives it back once the reply is written, so with tens of clients in flight the blocks in use
/// outnumber what <see cref="ArrayPool{T}.Shared"/> keeps per core, and each miss there was a new
/// 16 KB array: about 100 bytes of garbage per request at pipeline depth 16. Pinned, so a receive
/// or send pins nothing. Blocks beyond <see cref="MaxRetained"/> free are left to the GC, which
/// bounds what a burst (a huge value) keeps afterwards.
/// </summary>
internal sealed class BlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 16 * 1024;
    private const int MaxRetained = 8192;

    private readonly object _sync = new();
    private readonly Stack<Block> _free = new();
    private int _freeCount;

    public static BlockMemoryPool Instance { get; } = new();

    public override int MaxBufferSize => BlockSize;

    /// <summary>Free blocks kept for reuse now (read without the lock: a hint for the idle trim).</summary>
    public int FreeBlocks => Volatile.Read(ref _freeCount);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        lock (_sync)
        {
            if (_free.TryPop(out var block))
            {
                _freeCount = _free.Count;
                return block;
            }
        }

        return new Block(this);
    }

    /// <summary>
    /// Lets all but <paramref name="keep"/> free blocks go to the GC (called when idle after a
    /// large transfer). Pinned blocks kept for reuse would otherwise hold the pinned heap's
    /// regions, scattered among the freed ones, committed for good.
    /// </summary>
    public void TrimTo(int keep)
    {
        lock (_sync)
        {
            while (_free.Count > keep)
            {
                _free.Pop();
            }

            _freeCount = _free.Count;
        }
    }

    protected override void Dispose(bool disposing)
    {
        // Shared for the life of the process: nothing to release early.
    }

    private void Return(Block block)
    {
        lock (_sync)
        {
            if (_free.Count < MaxRetained)
            {
                _free.Push(block);
                _freeCount = _free.Count;
            }
        }
    }

    private sealed class Block(BlockMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public Memory<byte> Memory => _array;

        public void Dispose() => pool.Return(this);
    }
}
