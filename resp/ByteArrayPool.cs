using System.Buffers;
using System.Numerics;

namespace RedisRing.Resp;

/// <summary>
/// Arrays for frames and replies of any size. Up to <see cref="SmallLimit"/> they come from
/// <see cref="ArrayPool{T}.Shared"/>. Larger ones come from a bounded cache of power-of-two
/// arrays that <see cref="Trim"/> empties: reusing them while large values flow spares a page
/// fault per 4 KB of every fresh array (most of a proxy's time on a 16 MB reply), and emptying it
/// when the traffic stops gives the memory back, which <see cref="ArrayPool{T}.Shared"/> never does
/// (it keeps arrays up to a gigabyte for the life of the process).
/// </summary>
public sealed class ByteArrayPool
{
    public const int SmallLimit = 1024 * 1024;

    // Buckets for 2 MiB .. 1 GiB; bigger arrays are not kept.
    private const int FirstBucketShift = 21;
    private const int LastBucketShift = 30;

    private readonly Stack<byte[]>[] _buckets = new Stack<byte[]>[LastBucketShift - FirstBucketShift + 1];
    private readonly long _maxRetainedBytes;
    private long _retainedBytes;
    private long _largeRents;

    public ByteArrayPool(long maxRetainedBytes)
    {
        _maxRetainedBytes = maxRetainedBytes;
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new Stack<byte[]>();
        }
    }

    /// <summary>The process's pool: up to 256 MB of large arrays kept between trims.</summary>
    public static ByteArrayPool Shared { get; } = new(256L * 1024 * 1024);

    /// <summary>Bytes of large arrays kept for reuse now.</summary>
    public long RetainedBytes => Interlocked.Read(ref _retainedBytes);

    /// <summary>
    /// How many arrays over <see cref="SmallLimit"/> were rented so far: tells an idle check that
    /// large transfers are still going on even when the pool serves them without allocating.
    /// </summary>
    public long LargeRents => Interlocked.Read(ref _largeRents);

    /// <summary>An array of at least <paramref name="length"/> bytes (uninitialized); give it back with <see cref="Return"/>.</summary>
    public byte[] Rent(int length)
    {
        if (length <= SmallLimit)
        {
            return ArrayPool<byte>.Shared.Rent(length);
        }

        Interlocked.Increment(ref _largeRents);
        var shift = Shift(length);
        if (shift > LastBucketShift)
        {
            return GC.AllocateUninitializedArray<byte>(length);
        }

        var bucket = _buckets[shift - FirstBucketShift];
        lock (bucket)
        {
            if (bucket.TryPop(out var array))
            {
                Interlocked.Add(ref _retainedBytes, -array.Length);
                return array;
            }
        }

        return GC.AllocateUninitializedArray<byte>(1 << shift);
    }

    /// <summary>Takes back an array from <see cref="Rent"/> (or any array; unknown sizes are dropped).</summary>
    public void Return(byte[] array)
    {
        if (array.Length == 0)
        {
            return;
        }

        if (array.Length <= SmallLimit)
        {
            ArrayPool<byte>.Shared.Return(array);
            return;
        }

        if (!BitOperations.IsPow2(array.Length))
        {
            return;
        }

        var shift = BitOperations.Log2((uint)array.Length);
        if (shift is < FirstBucketShift or > LastBucketShift)
        {
            return;
        }

        if (Interlocked.Add(ref _retainedBytes, array.Length) > _maxRetainedBytes)
        {
            Interlocked.Add(ref _retainedBytes, -array.Length);
            return;
        }

        var bucket = _buckets[shift - FirstBucketShift];
        lock (bucket)
        {
            bucket.Push(array);
        }
    }

    /// <summary>Lets every kept large array go (when traffic stopped); returns the bytes released.</summary>
    public long Trim()
    {
        long released = 0;
        foreach (var bucket in _buckets)
        {
            lock (bucket)
            {
                while (bucket.TryPop(out var array))
                {
                    released += array.Length;
                }
            }
        }

        Interlocked.Add(ref _retainedBytes, -released);
        return released;
    }

    private static int Shift(int length) => Math.Max(FirstBucketShift, BitOperations.Log2((uint)length - 1) + 1);
}
