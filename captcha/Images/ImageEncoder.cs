using SkiaSharp;
using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Images;

/// <summary>
/// Encodes a true-colour RGBA picture: JPEG for the default format's background (lossy, small, and
/// its quantisation blurs the noise differently from the piece's) with our own
/// <see cref="JpegWriter"/>; PNG, for pictures that need alpha or exact pixels, with our own
/// <see cref="PngWriter"/>; WebP, when the site asks for it, with Skia.
/// </summary>
internal static class ImageEncoder
{
    /// <summary>Tuned for bytes: about 10 KiB for a 320x160 background with its noise (docs/benchmarks-captcha.md).</summary>
    public const int JpegQuality = 70;

    public const int WebpQuality = 75;

    /// <summary>
    /// One filter (Sub): noise leaves little for a search over filters to find. Level 2, not 1:
    /// .NET's zlib-ng at level 1 made the piece about 40 % larger than Skia's zlib at 1 did
    /// (5.9 against 4.3 KiB); at 2 it is 3.9 KiB for about the same time.
    /// </summary>
    private const int PngZlibLevel = 2;

    public static string ContentType(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Webp => "image/webp",
        _ => "image/png",
    };

    /// <summary>
    /// <paramref name="rgba"/> is row after row of straight-alpha pixels; <paramref name="opaque"/>
    /// pictures ignore the alpha bytes. JPEG has no alpha: pass an opaque picture.
    /// </summary>
    public static unsafe RentedBytes Encode(ReadOnlySpan<byte> rgba, int width, int height, ImageFormat format, bool opaque)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rgba.Length, width * height * 4);
        if (format == ImageFormat.Jpeg && !opaque)
        {
            throw new ArgumentException("JPEG has no alpha channel.", nameof(opaque));
        }

        if (format == ImageFormat.Jpeg)
        {
            return JpegWriter.Encode(rgba, width, height, JpegQuality);
        }

        if (format == ImageFormat.Png)
        {
            return PngWriter.EncodeRgba(rgba, width, height, PngZlibLevel);
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        fixed (byte* address = rgba)
        {
            using var pixmap = new SKPixmap(info, (IntPtr)address, width * 4);
            using var data = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, WebpQuality))
                ?? throw new InvalidOperationException($"Skia could not encode the picture as {format}.");
            var encoded = RentedBytes.Rent((int)data.Size);
            data.AsSpan().CopyTo(encoded.Array);
            return encoded;
        }
    }
}
