using RedisRing.Captcha.Images;

namespace RedisRing.Captcha.Tests.Images;

public sealed class PixelNoiseTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(37)] // four pixels a vector step, then a scalar tail
    [InlineData(320 * 160)]
    public void The_noise_is_the_one_draw_per_two_pixels_reference_and_leaves_alpha_alone(int pixels)
    {
        var random = new Random(11);
        var rgba = new byte[pixels * 4];
        random.NextBytes(rgba);
        var expected = Reference(rgba, new Random(3));

        var noise = new PixelNoise(new Random(3));
        noise.AddTo(rgba);

        Assert.Equal(expected, rgba);
    }

    /// <summary>
    /// The scalar definition: one xorshift64* draw per two pixels, bytes 0-2 and 3-5 to their
    /// red, green and blue, each byte's two nibbles summed (0-30) and scaled to +-8, clamped.
    /// </summary>
    private static byte[] Reference(byte[] original, Random seed)
    {
        var rgba = (byte[])original.Clone();
        var state = (ulong)seed.NextInt64() | 1;
        for (var i = 0; i + 4 <= rgba.Length; i += 8)
        {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            var bits = state * 0x2545F4914F6CDD1DUL;
            for (var c = 0; c < 6 && i + c + (c / 3) < rgba.Length; c++)
            {
                var at = i + c + (c / 3);
                var random = (byte)(bits >> (8 * c));
                var offset = (int)Math.Round(((random & 15) + (random >> 4) - 15) * PixelNoise.Amplitude / 15.0);
                rgba[at] = (byte)Math.Clamp(rgba[at] + offset, 0, 255);
            }
        }

        return rgba;
    }
}
