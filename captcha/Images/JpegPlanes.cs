using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RedisRing.Captcha.Images;

/// <summary>
/// An RGBA picture as the JPEG encoder takes it: level-shifted Y at full resolution and Cb, Cr
/// averaged over 2x2 pixels (4:2:0), each plane padded to whole 16x16 macroblocks by repeating
/// the last column and row. Converting the whole picture in one pass (eight pixels a step for Y)
/// instead of per macroblock with edge checks on every pixel halved the encoder's colour work.
/// The buffers are rented; dispose to return them.
/// </summary>
internal readonly struct JpegPlanes : IDisposable
{
    private readonly float[] _y;
    private readonly float[] _cb;
    private readonly float[] _cr;

    private JpegPlanes(int width, int height)
    {
        (Stride, Rows) = ((width + 15) & ~15, (height + 15) & ~15);
        _y = ArrayPool<float>.Shared.Rent(Stride * Rows);
        _cb = ArrayPool<float>.Shared.Rent(Stride * Rows / 4);
        _cr = ArrayPool<float>.Shared.Rent(Stride * Rows / 4);
    }

    /// <summary>Floats per row of Y (twice those of Cb and Cr).</summary>
    public int Stride { get; }

    public int Rows { get; }

    public ReadOnlySpan<float> Y => _y.AsSpan(0, Stride * Rows);

    public ReadOnlySpan<float> Cb => _cb.AsSpan(0, Stride * Rows / 4);

    public ReadOnlySpan<float> Cr => _cr.AsSpan(0, Stride * Rows / 4);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static JpegPlanes From(ReadOnlySpan<byte> rgba, int width, int height)
    {
        var planes = new JpegPlanes(width, height);
        planes.FillLuminance(MemoryMarshal.Cast<byte, uint>(rgba[..(width * height * 4)]), width, height);
        planes.FillChrominance(rgba, width, height);
        return planes;
    }

    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(_y);
        ArrayPool<float>.Shared.Return(_cb);
        ArrayPool<float>.Shared.Return(_cr);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillLuminance(ReadOnlySpan<uint> pixels, int width, int height)
    {
        var y = _y.AsSpan(0, Stride * Rows);
        var mask = Vector256.Create(0xFFu);
        for (var row = 0; row < height; row++)
        {
            ref var source = ref MemoryMarshal.GetReference(pixels.Slice(row * width, width));
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

        for (var row = height; row < Rows; row++)
        {
            y.Slice((height - 1) * Stride, Stride).CopyTo(y.Slice(row * Stride, Stride));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillChrominance(ReadOnlySpan<byte> rgba, int width, int height)
    {
        var half = Stride / 2;
        var cb = _cb.AsSpan(0, half * Rows / 2);
        var cr = _cr.AsSpan(0, half * Rows / 2);
        ref var pixels = ref MemoryMarshal.GetReference(rgba);
        for (var row = 0; row < Rows / 2; row++)
        {
            var top = Math.Min(2 * row, height - 1) * width;
            var bottom = Math.Min((2 * row) + 1, height - 1) * width;
            for (var column = 0; column < half; column++)
            {
                var (left, right) = (Math.Min(2 * column, width - 1), Math.Min((2 * column) + 1, width - 1));
                // The transform is linear: averaging red, green and blue first gives the mean of
                // the four pixels' Cb and Cr.
                int r = 0, g = 0, b = 0;
                Accumulate(ref Unsafe.Add(ref pixels, (top + left) * 4), ref r, ref g, ref b);
                Accumulate(ref Unsafe.Add(ref pixels, (top + right) * 4), ref r, ref g, ref b);
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
