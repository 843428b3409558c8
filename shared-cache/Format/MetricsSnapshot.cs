namespace RedisRing.SharedCache.Format;

/// <summary>Reads the statistics the loader keeps in the header. Values may be a moment old; none is trusted as an offset.</summary>
internal static unsafe class MetricsSnapshot
{
    private const long MaxUnixMs = 253402300799999;

    public static SharedCacheMetrics Read(MappedFile mapped, TimeProvider time, long lookups, long retries)
    {
        var file = mapped.Base;
        var maxOrder = Math.Clamp(Header.MaxOrder(file), Layout.MinOrder, Layout.OrderSlots - 1);
        var free = new List<FreeBlocks>();
        long freeBytes = 0;
        long largest = 0;
        for (var order = Layout.MinOrder; order <= maxOrder; order++)
        {
            var count = Volatile.Read(ref *(long*)(file + Layout.FreeCountsOffset + (order * 8)));
            if (count > 0)
            {
                free.Add(new FreeBlocks(order, count));
                freeBytes += count << order;
                largest = 1L << order;
            }
        }

        var lastLoadMs = (long)Volatile.Read(ref mapped.U64(Layout.LastLoadUnixMsOffset));
        // Range-checked like every other value read from the file: a damaged one must not throw.
        DateTimeOffset? lastLoad = lastLoadMs > 0 && lastLoadMs < MaxUnixMs ? DateTimeOffset.FromUnixTimeMilliseconds(lastLoadMs) : null;
        return new SharedCacheMetrics
        {
            RecordCount = (long)Volatile.Read(ref mapped.U64(Layout.RecordCountOffset)),
            Generation = (long)Volatile.Read(ref mapped.U64(Layout.GenerationOffset)),
            FileGeneration = (long)mapped.U64(Layout.FileGenerationOffset),
            FileBytes = mapped.Length,
            ArenaBytes = 1L << maxOrder,
            UsedBytes = (long)Volatile.Read(ref mapped.U64(Layout.UsedBytesOffset)),
            FreeBytes = freeBytes,
            FreeByOrder = free,
            Fragmentation = freeBytes == 0 ? 0 : 1 - ((double)largest / freeBytes),
            LastLoad = lastLoad,
            LastLoadAge = lastLoad is { } at ? time.GetUtcNow() - at : null,
            Lookups = lookups,
            Retries = retries,
        };
    }
}
