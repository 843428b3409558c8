using System.Runtime.InteropServices;
using RedisRing.SharedCache.Allocation;
using RedisRing.SharedCache.Format;

namespace RedisRing.SharedCache.Tests.Allocation;

/// <summary>A file image in native memory, for testing the allocator without a file.</summary>
internal sealed unsafe class NativeArena : IDisposable
{
    public NativeArena(int maxOrder)
    {
        MaxOrder = maxOrder;
        File = (byte*)NativeMemory.AllocZeroed((nuint)(Layout.HeaderSize + (1L << maxOrder)));
        Allocator = new BuddyAllocator(File, Layout.HeaderSize, maxOrder);
        Allocator.Reset();
    }

    public int MaxOrder { get; }

    public byte* File { get; }

    public BuddyAllocator Allocator { get; }

    public long FreeBytes
    {
        get
        {
            long bytes = 0;
            for (var order = Layout.MinOrder; order <= MaxOrder; order++)
            {
                bytes += Allocator.FreeCount(order) << order;
            }

            return bytes;
        }
    }

    public void Dispose() => NativeMemory.Free(File);
}
