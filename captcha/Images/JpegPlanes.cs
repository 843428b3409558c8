using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RedisRing.Captcha.Images;

/// <summary>
/// One row of 16x16 macroblocks of an RGBA picture as the JPEG encoder takes it: level-shifted Y
/// at full resolution and Cb, Cr averaged over 2x2 pixels (4:2:0), padded to whole macroblocks by
/// repeating the picture's last column and row. Converting a strip in one pass (eight pixels a
/// step for Y) instead of per macroblock with edge checks on every pixel halved the encoder's
/// colour work; a strip rather than the whole picture keeps it in cache while its blocks are
/// coded. The buffers are rented; dispose to return them.
/// </summary>
internal readonly struct JpegPlanes : IDisposable
{
    /// <summary>Rows of Y in a strip: one macroblock.</summary>
    public const int StripRows = 16;

    private readonly float[] _y;
    private readonly float[] _cb;
    private readonly float[] _cr;

    public JpegPlanes(int width)
    {
        Stride = (width + 15) & ~15;
        _y = ArrayPool<float>.Shared.Rent(Stride * StripRows);
        _cb = ArrayPool<float>.Shared.Rent(Stride * StripRows / 4);
        _cr = ArrayPool<float>.Shared.Rent(Stride * StripRows / 4);
    }

    /// <summary>Floats per row of Y (twice those of Cb and Cr).</summary>
    public int Stride { get; }

    public ReadOnlySpan<float> Y => _y.AsSpan(0, Stride * StripRows);

    public ReadOnlySpan<float> Cb => _cb.AsSpan(0, Stride * StripRows / 4);

    public ReadOnlySpan<float> Cr => _cr.AsSpan(0, Stride * StripRows / 4);

    /// <summary>Converts the picture's rows <paramref name="top"/> to <paramref name="top"/> + 15 (the last row repeating past the bottom).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Load(ReadOnlySpan<byte> rgba, int width, int height, int top)
    {
        FillLuminance(MemoryMarshal.Cast<byte, uint>(rgba[..(width * height * 4)]), width, height, top);
        FillChrominance(rgba, width, height, top);
    }

    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(_y);
        ArrayPool<float>.Shared.Return(_cb);
        ArrayPool<float>.Shared.Return(_cr);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillLuminance(ReadOnlySpan<uint> pixels, int width, int height, int top)
    {
        var y = _y.AsSpan(0, Stride * StripRows);
        var mask = Vector256.Create(0xFFu);
        var rows = Math.Min(StripRows, height - top);
        for (var row = 0; row < rows; row++)
        {
            ref var source = ref MemoryMarshal.GetReference(pixels.Slice((top + row) * width, width));
            var line = y.Slice(row * Stride, Stride);
            ref var target = ref MemoryMarshal.GetReference(line);
            var x = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; x + 8 <= width; x += 8)
                {
                    // Little-endian RGBA: red is the low byte of each 32-bit pixel.
                    var pixel = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, x));
                    var r = Vector256.ConvertToSingle((pixel & mask).AsInt32());
                    var g = Vector256.ConvertToSingle((Vector256.ShiftRightLogical(pixel, 8) & mask).AsInt32());
                    var b = Vector256.ConvertToSingle((Vector256.ShiftRightLogical(pixel, 16) & mask).AsInt32());
                    ((r * 0.299f) + (g * 0.587f) + (b * 0.114f) - Vector256.Create(128f)).StoreUnsafe(ref Unsafe.Add(ref target, x));
                }
            }

            for (; x < width; x++)
            {
                var pixel = Unsafe.Add(ref source, x);
                var (r, g, b) = ((float)(pixel & 0xFF), (float)((pixel >> 8) & 0xFF), (float)((pixel >> 16) & 0xFF));
                Unsafe.Add(ref target, x) = (0.299f * r) + (0.587f * g) + (0.114f * b) - 128;
            }

            line[width..].Fill(line[width - 1]);
        }

        for (var row = rows; row < StripRows; row++)
        {
            y.Slice((rows - 1) * Stride, Stride).CopyTo(y.Slice(row * Stride, Stride));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillChrominance(ReadOnlySpan<byte> rgba, int width, int height, int top)
    {
        var half = Stride / 2;
        var cb = _cb.AsSpan(0, half * StripRows / 2);
        var cr = _cr.AsSpan(0, half * StripRows / 2);
        ref var pixels = ref MemoryMarshal.GetReference(rgba);
        for (var row = 0; row < StripRows / 2; row++)
        {
            var upper = Math.Min(top + (2 * row), height - 1) * width;
            var bottom = Math.Min(top + (2 * row) + 1, height - 1) * width;
            for (var column = 0; column < half; column++)
            {
                var (left, right) = (Math.Min(2 * column, width - 1), Math.Min((2 * column) + 1, width - 1));
                // The transform is linear: averaging red, green and blue first gives the mean of
                // the four pixels' Cb and Cr.
                int r = 0, g = 0, b = 0;
                Accumulate(ref Unsafe.Add(ref pixels, (upper + left) * 4), ref r, ref g, ref b);
                Accumulate(ref Unsafe.Add(ref pixels, (upper + right) * 4), ref r, ref g, ref b);
                Accumulate(ref Unsafe.Add(ref pixels, (bottom + left) * 4), ref r, ref g, ref b);
                Accumulate(ref Unsafe.Add(ref pixels, (bottom + right) * 4), ref r, ref g, ref b);
                cb[(row * half) + column] = ((-0.168736f * r) - (0.331264f * g) + (0.5f * b)) * 0.25f;
                cr[(row * half) + column] = ((0.5f * r) - (0.418688f * g) - (0.081312f * b)) * 0.25f;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref byte pixel, ref int r, ref int g, ref int b)
    {
        r += pixel;
        g += Unsafe.Add(ref pixel, 1);
        b += Unsafe.Add(ref pixel, 2);
    }
}
