using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RedisRing.Captcha.Images;

/// <summary>
/// Per-pixel colour noise from a fast PRNG (xorshift64*), seeded per challenge. Added to the
/// background and, independently, to the piece, so that no pixel of the piece equals a pixel of
/// the background and no colour is a fixed palette entry: exact or near-exact matching has
/// nothing to lock on to. Not secret: it hides structure, not the answer.
/// </summary>
/// <remarks>
/// Sixteen channels a step with SSSE3 (four pixels, two 64-bit draws): the byte-to-offset table
/// is looked up with two byte shuffles and the offset applied with saturating adds, which is the
/// clamp to 0-255. The noise was about a fifth of a challenge's render time one byte at a time.
/// Both paths give the same bytes for the same seed; alpha is never touched.
/// </remarks>
internal struct PixelNoise
{
    /// <summary>The largest offset a channel gets.</summary>
    public const int Amplitude = 8;

    /// <summary>Byte to offset: the sum of two uniform values (a triangle), mostly small.</summary>
    private static readonly sbyte[] Offsets = BuildOffsets();

    /// <summary>Offset by the sum of a byte's two nibbles (0-30), first and second half: the shuffle tables.</summary>
    private static readonly Vector128<byte> SumLow = SumTable(0);
    private static readonly Vector128<byte> SumHigh = SumTable(16);

    /// <summary>Bytes of two draws to four pixels (0x80: zero, for alpha).</summary>
    private static readonly Vector128<byte> Spread = Vector128.Create((byte)0, 1, 2, 0x80, 3, 4, 5, 0x80, 8, 9, 10, 0x80, 11, 12, 13, 0x80);

    private ulong _state;

    public PixelNoise(Random random) => _state = (ulong)random.NextInt64() | 1;

    /// <summary>Adds noise of about +-<see cref="Amplitude"/> to the red, green and blue of every RGBA pixel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddTo(Span<byte> rgba)
    {
        var i = 0;
        if (Ssse3.IsSupported)
        {
            var colour = Vector128.Create(0x00FF_FFFFu).AsByte();
            var nibble = Vector128.Create((byte)15);
            var sixteen = Vector128.Create((byte)16);
            ref var start = ref MemoryMarshal.GetReference(rgba);
            for (; i + 16 <= rgba.Length; i += 16)
            {
                // Each draw's bytes 0-2 and 3-5 to two pixels' red, green and blue, as the
                // scalar path below takes them: the same seed gives the same picture either way.
                var bits = Ssse3.Shuffle(Vector128.Create(Next(), Next()).AsByte(), Spread);
                var sum = (bits & nibble) + (Vector128.ShiftRightLogical(bits.AsUInt16(), 4).AsByte() & nibble);
                // pshufb gives 0 where an index has its top bit set: sum - 16 wraps there below 16.
                var high = Ssse3.Shuffle(SumHigh, sum - sixteen);
                var low = Ssse3.Shuffle(SumLow, sum | Vector128.GreaterThan(sum, nibble));
                var offset = (low | high) & colour;
                var up = Vector128.Max(offset.AsSByte(), Vector128<sbyte>.Zero).AsByte();
                var down = Vector128.Max(-offset.AsSByte(), Vector128<sbyte>.Zero).AsByte();
                ref var at = ref Unsafe.Add(ref start, i);
                var pixels = Vector128.LoadUnsafe(ref at);
                Sse2.SubtractSaturate(Sse2.AddSaturate(pixels, up), down).StoreUnsafe(ref at);
            }
        }

        for (; i + 4 <= rgba.Length; i += 8)
        {
            // One 64-bit draw covers two pixels: three channels each, alpha untouched.
            var bits = Next();
            rgba[i] = Add(rgba[i], (byte)bits);
            rgba[i + 1] = Add(rgba[i + 1], (byte)(bits >> 8));
            rgba[i + 2] = Add(rgba[i + 2], (byte)(bits >> 16));
            if (i + 8 <= rgba.Length)
            {
                rgba[i + 4] = Add(rgba[i + 4], (byte)(bits >> 24));
                rgba[i + 5] = Add(rgba[i + 5], (byte)(bits >> 32));
                rgba[i + 6] = Add(rgba[i + 6], (byte)(bits >> 40));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Next()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return _state * 0x2545F4914F6CDD1DUL;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Add(byte channel, byte random) => (byte)Math.Clamp(channel + Offsets[random], 0, 255);

    /// <summary>Two 4-bit uniforms summed: 0..30, centred on 15, scaled to +-Amplitude.</summary>
    private static sbyte OffsetOfSum(int sum) => (sbyte)Math.Round((sum - 15) * Amplitude / 15.0);

    private static sbyte[] BuildOffsets()
    {
        var offsets = new sbyte[256];
        for (var i = 0; i < offsets.Length; i++)
        {
            offsets[i] = OffsetOfSum((i & 15) + (i >> 4));
        }

        return offsets;
    }

    private static Vector128<byte> SumTable(int first)
    {
        Span<byte> table = stackalloc byte[16];
        for (var i = 0; i < 16; i++)
        {
            table[i] = first + i <= 30 ? (byte)OffsetOfSum(first + i) : (byte)0;
        }

        return Vector128.Create((ReadOnlySpan<byte>)table);
    }
}
