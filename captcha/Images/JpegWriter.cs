using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RedisRing.Captcha.Images;

/// <summary>
/// A minimal baseline JPEG encoder (JFIF, 4:2:0, the standard Huffman tables of ITU T.81 Annex K,
/// the IJG quality scaling, the AAN float DCT: <see cref="JpegDct"/>). Skia's encoder took about 2 ms for a 320x160
/// background on this project's machines, several times the whole render budget at the issue
/// rate the service needs; this one does the same work without per-call set-up or colour-type
/// conversion (docs/benchmarks-captcha.md).
/// </summary>
internal static class JpegWriter
{
    private static readonly byte[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    private static readonly byte[] LuminanceQuantisation =
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    private static readonly byte[] ChrominanceQuantisation =
    [
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    ];

    private static readonly float[] AanScale = [1.0f, 1.387039845f, 1.306562965f, 1.175875602f, 1.0f, 0.785694958f, 0.541196100f, 0.275899379f];

    private static readonly HuffmanTable LuminanceDc = new(
        [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

    private static readonly HuffmanTable ChrominanceDc = new(
        [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

    private static readonly HuffmanTable LuminanceAc = new(
        [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
        [
            0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08,
            0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
            0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
            0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
            0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
            0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
            0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
        ]);

    private static readonly HuffmanTable ChrominanceAc = new(
        [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
        [
            0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91,
            0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
            0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
            0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
            0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4,
            0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
            0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
        ]);

    private static readonly Dictionary<int, Quantisation> Tables = [];

    /// <summary>Encodes opaque RGBA pixels (alpha ignored) at <paramref name="quality"/> (1-100).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RentedBytes Encode(ReadOnlySpan<byte> rgba, int width, int height, int quality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rgba.Length, width * height * 4);
        var tables = TablesFor(quality);
        // Worst case well above what noise at any quality produces: the raw samples' size, twice.
        var output = RentedBytes.Rent(1024 + (width * height * 8));
        var writer = new JpegBitWriter(output.Array);
        WriteHeaders(ref writer, width, height, tables);

        using var planes = new JpegPlanes(width);
        var stride = planes.Stride;
        Span<float> block = stackalloc float[64];
        Span<int> quantised = stackalloc int[64];
        var (previousY, previousCb, previousCr) = (0, 0, 0);
        for (var mcuY = 0; mcuY < height; mcuY += JpegPlanes.StripRows)
        {
            planes.Load(rgba, width, height, mcuY);
            var y = planes.Y;
            var cb = planes.Cb;
            var cr = planes.Cr;
            for (var mcuX = 0; mcuX < stride; mcuX += 16)
            {
                for (var b = 0; b < 4; b++)
                {
                    LoadBlock(y, stride, mcuX + ((b & 1) * 8), (b >> 1) * 8, block);
                    previousY = EncodeBlock(ref writer, block, quantised, tables.Luminance, previousY, LuminanceDc, LuminanceAc);
                }

                LoadBlock(cb, stride / 2, mcuX / 2, 0, block);
                previousCb = EncodeBlock(ref writer, block, quantised, tables.Chrominance, previousCb, ChrominanceDc, ChrominanceAc);
                LoadBlock(cr, stride / 2, mcuX / 2, 0, block);
                previousCr = EncodeBlock(ref writer, block, quantised, tables.Chrominance, previousCr, ChrominanceDc, ChrominanceAc);
            }
        }

        writer.Flush();
        writer.WriteMarker(0xD9);
        return new RentedBytes(output.Array, writer.Position);
    }

    /// <summary>The 8x8 block at (<paramref name="left"/>, <paramref name="top"/>) of a plane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadBlock(ReadOnlySpan<float> plane, int stride, int left, int top, Span<float> block)
    {
        for (var row = 0; row < 8; row++)
        {
            plane.Slice(((top + row) * stride) + left, 8).CopyTo(block.Slice(row * 8, 8));
        }
    }

    /// <summary>DCT, quantisation and Huffman coding of one block; returns its DC value for the next.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EncodeBlock(ref JpegBitWriter writer, Span<float> block, Span<int> quantised, float[] divisors, int previousDc, HuffmanTable dc, HuffmanTable ac)
    {
        JpegDct.Forward(block);
        var nonZero = Quantise(block, divisors, quantised);
        ref var coefficient = ref MemoryMarshal.GetReference(quantised[..64]);
        var dcValue = coefficient;
        var difference = dcValue - previousDc;
        var size = BitLength(difference);
        // Code and amplitude in one write: at most 16 + 11 bits.
        writer.Write((uint)((dc.Codes[size] << size) | Amplitude(difference, size)), dc.Lengths[size] + size);

        // Only the non-zero AC coefficients are visited, found by their bits in zigzag order: on
        // a noisy picture a coefficient-by-coefficient loop mispredicted its zero test half the time.
        var (codes, lengths) = (ac.Codes, ac.Lengths);
        var last = 0;
        for (var remaining = nonZero & ~1ul; remaining != 0; remaining &= remaining - 1)
        {
            var k = BitOperations.TrailingZeroCount(remaining);
            var run = k - last - 1;
            for (; run > 15; run -= 16)
            {
                writer.Write((uint)codes[0xF0], lengths[0xF0]); // ZRL: sixteen zeros
            }

            var value = Unsafe.Add(ref coefficient, k);
            size = BitLength(value);
            var symbol = (run << 4) | size;
            writer.Write((uint)((codes[symbol] << size) | Amplitude(value, size)), lengths[symbol] + size);
            last = k;
        }

        if (last < 63)
        {
            writer.Write((uint)codes[0], lengths[0]); // EOB
        }

        return dcValue;
    }

    /// <summary>
    /// Takes the DCT's output (natural order) into zigzag order, multiplies by the divisors'
    /// reciprocals (zigzag order too) and rounds half away from zero, as IJG does, eight
    /// coefficients a step where vectors are accelerated. Returns a bit per zigzag position
    /// whose coefficient is not zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Quantise(Span<float> block, float[] zigZagDivisors, Span<int> quantised)
    {
        ref var natural = ref MemoryMarshal.GetReference(block[..64]);
        ref var divisor = ref MemoryMarshal.GetArrayDataReference(zigZagDivisors);
        ref var result = ref MemoryMarshal.GetReference(quantised[..64]);
        ref var zigZag = ref MemoryMarshal.GetArrayDataReference(ZigZag);
        Span<float> ordered = stackalloc float[64];
        ref var value = ref MemoryMarshal.GetReference(ordered);
        for (var k = 0; k < 64; k++)
        {
            Unsafe.Add(ref value, k) = Unsafe.Add(ref natural, Unsafe.Add(ref zigZag, k));
        }

        var nonZero = 0ul;
        if (Vector256.IsHardwareAccelerated)
        {
            var half = Vector256.Create(0.5f);
            var sign = Vector256.Create(-0f);
            for (var i = 0; i < 64; i += 8)
            {
                var scaled = Vector256.LoadUnsafe(ref value, (nuint)i) * Vector256.LoadUnsafe(ref divisor, (nuint)i);
                // The cast truncates: adding a half with the value's sign first rounds away from zero.
                var rounded = Vector256.ConvertToInt32(scaled + (half | (scaled & sign)));
                rounded.StoreUnsafe(ref result, (nuint)i);
                var zero = Vector256.ExtractMostSignificantBits(Vector256.Equals(rounded, Vector256<int>.Zero));
                nonZero |= (ulong)(~zero & 0xFF) << i;
            }

            return nonZero;
        }

        for (var i = 0; i < 64; i++)
        {
            var scaled = Unsafe.Add(ref value, i) * Unsafe.Add(ref divisor, i);
            var rounded = (int)(scaled + (scaled >= 0 ? 0.5f : -0.5f));
            Unsafe.Add(ref result, i) = rounded;
            nonZero |= rounded != 0 ? 1ul << i : 0;
        }

        return nonZero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BitLength(int value) => value == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(value));

    /// <summary>The low bits of a value, negative ones as one's complement (T.81 F.1.2.1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Amplitude(int value, int size) => value >= 0 ? value : (value - 1) & ((1 << size) - 1);

    private static void WriteHeaders(ref JpegBitWriter writer, int width, int height, Quantisation tables)
    {
        writer.WriteMarker(0xD8); // SOI
        writer.WriteMarker(0xE0); // APP0: JFIF 1.1, no density, no thumbnail
        writer.WriteBytes([0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        writer.WriteMarker(0xDB); // DQT: both tables, 8-bit, zigzag order
        writer.WriteBytes([0, 132]);
        writer.WriteBytes([0]);
        writer.WriteBytes(tables.LuminanceZigZag);
        writer.WriteBytes([1]);
        writer.WriteBytes(tables.ChrominanceZigZag);
        writer.WriteMarker(0xC0); // SOF0: 8-bit, three components; Y 2x2, Cb and Cr 1x1
        Span<byte> frame = [0, 17, 8, 0, 0, 0, 0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
        BinaryPrimitives.WriteUInt16BigEndian(frame[3..], (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(frame[5..], (ushort)width);
        writer.WriteBytes(frame);
        writer.WriteMarker(0xC4); // DHT: four tables
        var length = 2 + (4 * 17) + LuminanceDc.Values.Length + LuminanceAc.Values.Length + ChrominanceDc.Values.Length + ChrominanceAc.Values.Length;
        writer.WriteBytes([(byte)(length >> 8), (byte)length]);
        WriteTable(ref writer, 0x00, LuminanceDc);
        WriteTable(ref writer, 0x10, LuminanceAc);
        WriteTable(ref writer, 0x01, ChrominanceDc);
        WriteTable(ref writer, 0x11, ChrominanceAc);
        writer.WriteMarker(0xDA); // SOS: three components, full spectral range
        writer.WriteBytes([0, 12, 3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
    }

    private static void WriteTable(ref JpegBitWriter writer, byte classAndId, HuffmanTable table)
    {
        writer.WriteBytes([classAndId]);
        writer.WriteBytes(table.Counts);
        writer.WriteBytes(table.Values);
    }

    private static Quantisation TablesFor(int quality)
    {
        quality = Math.Clamp(quality, 1, 100);
        lock (Tables)
        {
            if (!Tables.TryGetValue(quality, out var tables))
            {
                tables = Tables[quality] = new Quantisation(quality);
            }

            return tables;
        }
    }

    /// <summary>The quantisation tables at one quality, with the divisors the DCT's output needs.</summary>
    private sealed class Quantisation
    {
        public Quantisation(int quality)
        {
            // The IJG scaling: 50 is the standard tables, 100 all ones.
            var scale = quality < 50 ? 5000 / quality : 200 - (quality * 2);
            byte Scale(byte value) => (byte)Math.Clamp(((value * scale) + 50) / 100, 1, 255);
            var luminance = LuminanceQuantisation.Select(Scale).ToArray();
            var chrominance = ChrominanceQuantisation.Select(Scale).ToArray();
            LuminanceZigZag = ZigZag.Select(natural => luminance[natural]).ToArray();
            ChrominanceZigZag = ZigZag.Select(natural => chrominance[natural]).ToArray();
            Luminance = Divisors(luminance);
            Chrominance = Divisors(chrominance);
        }

        public byte[] LuminanceZigZag { get; }

        public byte[] ChrominanceZigZag { get; }

        /// <summary>Per coefficient in zigzag order: 1 / (step x AAN scale of row x of column x 8).</summary>
        public float[] Luminance { get; }

        public float[] Chrominance { get; }

        private static float[] Divisors(byte[] steps) =>
            ZigZag.Select(i => 1f / (steps[i] * AanScale[i / 8] * AanScale[i % 8] * 8)).ToArray();
    }

    /// <summary>A Huffman table as the file lists it (code counts per length, symbols) and as the encoder uses it.</summary>
    private sealed class HuffmanTable
    {
        public HuffmanTable(byte[] counts, byte[] values)
        {
            (Counts, Values) = (counts, values);
            if (counts.Sum(c => c) != values.Length)
            {
                throw new ArgumentException("The counts must add up to the number of symbols.", nameof(values));
            }

            // Canonical codes: consecutive within a length, doubled from one length to the next.
            var (code, at) = (0, 0);
            for (var length = 1; length <= 16; length++)
            {
                for (var i = 0; i < counts[length - 1]; i++, at++, code++)
                {
                    Codes[values[at]] = code;
                    Lengths[values[at]] = length;
                }

                code <<= 1;
            }
        }

        public byte[] Counts { get; }

        public byte[] Values { get; }

        public int[] Codes { get; } = new int[256];

        public int[] Lengths { get; } = new int[256];
    }
}
