using System.Runtime.CompilerServices;
using RedisRing.SharedCache.Format;

namespace RedisRing.SharedCache.Reading;

/// <summary>
/// The read protocol (seqlock per block). A retired file (replaced by a newer one) is still read
/// consistently until the switch succeeds; it is only stale. Every block starts with a sequence: even and unique while
/// the block holds a published record or index, odd while it is free or being written. A lookup reads
/// the sequence, copies, then reads the sequence again: equal and even means nothing changed the block
/// in between, because the loader marks a block odd (and fences) before it frees or reuses it. The
/// header epoch, bumped by every new loader, covers blocks a killed loader left unreachable. Every
/// offset and length read from the file is bounds-checked against the mapping before it is used, so
/// reused or corrupted bytes can only cause a retry or a miss, never a wild read.
/// </summary>
public sealed unsafe partial class SharedCacheReader
{
    private const int MaxAttempts = 1_000;

    private enum Probe
    {
        NotFound,
        Found,
        TooSmall,
        Retry,
    }

    /// <summary>
    /// Copies the value of <paramref name="key"/> into <paramref name="destination"/>. Allocates nothing.
    /// On <see cref="LookupStatus.BufferTooSmall"/>, <paramref name="valueLength"/> is the length needed.
    /// </summary>
    public LookupStatus TryGet(ReadOnlySpan<byte> key, Span<byte> destination, out int valueLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var hash = Hash64.Compute(key);
        _lookups++;
        var spinner = default(SpinWait);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var mapped = Volatile.Read(ref _current);
            if (Volatile.Read(ref mapped.U64(Layout.RetiredOffset)) == Layout.RetiredMark && SwitchIfRetired())
            {
                mapped = Volatile.Read(ref _current);
            }

            var result = TryOnce(mapped.Base, mapped.Length, key, hash, destination, out valueLength);
            switch (result)
            {
                case Probe.Found:
                    return LookupStatus.Found;
                case Probe.NotFound:
                    return LookupStatus.NotFound;
                case Probe.TooSmall:
                    return LookupStatus.BufferTooSmall;
                default:
                    _retries++;
                    if (attempt > 16)
                    {
                        spinner.SpinOnce(sleep1Threshold: -1);
                    }

                    break;
            }
        }

        valueLength = 0;
        return LookupStatus.Unavailable;
    }

    private static Probe TryOnce(byte* file, long length, ReadOnlySpan<byte> key, ulong hash, Span<byte> destination, out int valueLength)
    {
        valueLength = 0;
        var epoch = Volatile.Read(ref *(ulong*)(file + Layout.EpochOffset));
        var index = (long)Volatile.Read(ref *(ulong*)(file + Layout.IndexOffsetOffset));
        if (index == 0)
        {
            return Probe.NotFound;
        }

        if (index < Layout.HeaderSize || index > length - Layout.IndexHeaderSize || (index & 63) != 0)
        {
            return Probe.Retry;
        }

        var indexSeq = Volatile.Read(ref *(ulong*)(file + index));
        var kind = file[index + Layout.BlockKindOffset];
        var capacity = *(long*)(file + index + Layout.IndexCapacityOffset);
        var version = Volatile.Read(ref *(ulong*)(file + index + Layout.IndexVersionOffset));
        if ((indexSeq & 1) != 0 || kind != Layout.KindIndex || capacity <= 0 || (capacity & (capacity - 1)) != 0
            || capacity > (length - index - Layout.IndexHeaderSize) / 8)
        {
            return Probe.Retry;
        }

        var slots = (ulong*)(file + index + Layout.IndexHeaderSize);
        var mask = capacity - 1;
        var position = (long)hash & mask;
        for (long n = 0; n < capacity; n++, position = (position + 1) & mask)
        {
            var slot = Volatile.Read(ref slots[position]);
            if (slot == Layout.SlotEmpty)
            {
                break;
            }

            if (slot == Layout.SlotTombstone || !Layout.TagMatches(slot, hash))
            {
                continue;
            }

            var block = Layout.OffsetOf(slot);
            if (block < Layout.HeaderSize || block > length - Layout.RecordHeaderSize)
            {
                return Probe.Retry;
            }

            var seq = Volatile.Read(ref *(ulong*)(file + block));
            if ((seq & 1) != 0 || seq == 0)
            {
                return Probe.Retry;
            }

            var keyLength = *(uint*)(file + block + Layout.RecordKeyLengthOffset);
            var storedLength = *(uint*)(file + block + Layout.RecordValueLengthOffset);
            if ((ulong)keyLength + storedLength > (ulong)(length - block - Layout.RecordHeaderSize))
            {
                return Probe.Retry;
            }

            var data = file + block + Layout.RecordHeaderSize;
            if (keyLength != key.Length || !new ReadOnlySpan<byte>(data, (int)keyLength).SequenceEqual(key))
            {
                if (!Unchanged(file, block, seq, epoch))
                {
                    return Probe.Retry;
                }

                continue;
            }

            if (storedLength > (uint)destination.Length)
            {
                if (!Unchanged(file, block, seq, epoch))
                {
                    return Probe.Retry;
                }

                valueLength = (int)storedLength;
                return Probe.TooSmall;
            }

            new ReadOnlySpan<byte>(data + keyLength, (int)storedLength).CopyTo(destination);
            if (!Unchanged(file, block, seq, epoch))
            {
                return Probe.Retry;
            }

            valueLength = (int)storedLength;
            return Probe.Found;
        }

        // A miss counts only if the index we probed was still the published, unfreed one, and none
        // of its slots changed meanwhile (a slot we skipped may have been this key's, re-pointed
        // while we looked at the block it used to point to).
        Volatile.ReadBarrier();
        return Volatile.Read(ref *(ulong*)(file + index + Layout.IndexVersionOffset)) == version
            && Volatile.Read(ref *(ulong*)(file + index)) == indexSeq
            && (long)Volatile.Read(ref *(ulong*)(file + Layout.IndexOffsetOffset)) == index
            && Volatile.Read(ref *(ulong*)(file + Layout.EpochOffset)) == epoch
            ? Probe.NotFound
            : Probe.Retry;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Unchanged(byte* file, long block, ulong seq, ulong epoch)
    {
        // Orders the copy above before the re-reads below (a compiler-only barrier on x64).
        Volatile.ReadBarrier();
        return Volatile.Read(ref *(ulong*)(file + block)) == seq
            && Volatile.Read(ref *(ulong*)(file + Layout.EpochOffset)) == epoch;
    }
}
