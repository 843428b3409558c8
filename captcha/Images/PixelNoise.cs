using System.Runtime.CompilerServices;

namespace RedisRing.Captcha.Images;

/// <summary>
/// Per-pixel colour noise from a fast PRNG (xorshift64*), seeded per challenge. Added to the
/// background and, independently, to the piece, so that no pixel of the piece equals a pixel of
/// the background and no colour is a fixed palette entry: exact or near-exact matching has
/// nothing to lock on to. Not secret: it hides structure, not the answer.
/// </summary>
internal struct PixelNoise
{
    /// <summary>Byte to offset: the sum of two uniform values (a triangle), mostly small.</summary>
    private static readonly sbyte[] Offsets = BuildOffsets();

    private ulong _state;

    public PixelNoise(Random random) => _state = (ulong)random.NextInt64() | 1;

    /// <summary>Adds noise of about +-<see cref="Amplitude"/> to the red, green and blue of every RGBA pixel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddTo(Span<byte> rgba)
    {
        for (var i = 0; i + 4 <= rgba.Length; i += 8)
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

    /// <summary>The largest offset a channel gets.</summary>
    public const int Amplitude = 8;

    public ulong Next()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return _state * 0x2545F4914F6CDD1DUL;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Add(byte channel, byte random) => (byte)Math.Clamp(channel + Offsets[random], 0, 255);

    private static sbyte[] BuildOffsets()
    {
        var offsets = new sbyte[256];
        for (var i = 0; i < offsets.Length; i++)
        {
            // Two 4-bit uniforms summed: 0..30, centred on 15, scaled to +-Amplitude.
            offsets[i] = (sbyte)Math.Round(((i & 15) + (i >> 4) - 15) * Amplitude / 15.0);
        }

        return offsets;
    }
}
