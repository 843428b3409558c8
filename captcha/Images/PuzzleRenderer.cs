using System.Buffers;
using System.Runtime.CompilerServices;
using RedisRing.Captcha.Settings;
using SkiaSharp;

namespace RedisRing.Captcha.Images;

/// <summary>
/// Renders one challenge in palette indices: paints a background, cuts the piece out of it, then
/// marks the notch (and decoy notches) on the background, and encodes both. The clean background
/// never leaves this method.
/// </summary>
/// <remarks>
/// The per-pixel loops here and in the painter are marked AggressiveOptimization: they run once
/// per challenge, and under load tiered compilation kept them in instrumented or OSR code for
/// the first 10-20 seconds of a worker's life (seen with perf), several times slower.
/// </remarks>
internal static class PuzzleRenderer
{
    private const int WebpQuality = 80;

    public static RenderedPuzzle Render(PuzzleSpec spec, Random random, int pngCompressionLevel = PuzzleOptions.DefaultPngCompressionLevel)
    {
        var (width, height) = (spec.Width, spec.Height);
        var size = PuzzleShape.SizeFor(height);
        var palette = PuzzlePalette.Create(spec.Theme, random);
        var backgroundPixels = ArrayPool<byte>.Shared.Rent(width * height);
        var piecePixels = ArrayPool<byte>.Shared.Rent(size * size);
        try
        {
            var image = backgroundPixels.AsSpan(0, width * height);
            var piece = piecePixels.AsSpan(0, size * size);
            BackgroundPainter.Paint(image, width, height, random);

            var outline = PuzzleMask.For(size, quarterTurns: 0);
            CutPiece(image, width, height, spec.PieceX, spec.PieceY, outline, piece);
            DrawNotch(image, width, height, spec.PieceX, spec.PieceY, outline);
            for (var i = 0; i < spec.Decoys; i++)
            {
                DrawDecoy(image, spec, size, random);
            }

            using var background = Encode(image, width, height, palette, spec.Format, pngCompressionLevel, transparent: false);
            using var pieceImage = Encode(piece, size, size, palette, spec.Format, pngCompressionLevel, transparent: true);
            return RenderedPuzzle.Create(background.Span, pieceImage.Span, spec.Format == ImageFormat.Webp ? "image/webp" : "image/png", size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(backgroundPixels);
            ArrayPool<byte>.Shared.Return(piecePixels);
        }
    }

    /// <summary>
    /// The piece: the clean background inside the outline, a light edge, transparency outside
    /// (and wherever the box reaches past the image's border).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CutPiece(ReadOnlySpan<byte> image, int width, int height, int left, int top, PuzzleMask outline, Span<byte> piece)
    {
        var size = outline.Size;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var (imageX, imageY) = (left + x, top + y);
                var onImage = imageX >= 0 && imageY >= 0 && imageX < width && imageY < height;
                piece[(y * size) + x] = outline[x, y] switch
                {
                    PuzzleMask.Outside => PuzzlePalette.Transparent,
                    _ when !onImage => PuzzlePalette.Transparent,
                    PuzzleMask.Edge => PuzzlePalette.Edge,
                    _ => image[(imageY * width) + imageX],
                };
            }
        }
    }

    /// <summary>Darkens the outline's inside, draws its light edge and inner shadow; clipped to the image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DrawNotch(Span<byte> image, int width, int height, int left, int top, PuzzleMask outline)
    {
        var size = outline.Size;
        for (var y = Math.Max(0, -top); y < size && top + y < height; y++)
        {
            var row = image.Slice((top + y) * width, width);
            for (var x = Math.Max(0, -left); x < size && left + x < width; x++)
            {
                ref var pixel = ref row[left + x];
                pixel = outline[x, y] switch
                {
                    PuzzleMask.Inside => PaletteTables.Darken[pixel],
                    PuzzleMask.Edge => PuzzlePalette.Edge,
                    PuzzleMask.Shadow => PuzzlePalette.Shadow,
                    _ => pixel,
                };
            }
        }
    }

    private static void DrawDecoy(Span<byte> image, PuzzleSpec spec, int size, Random random)
    {
        // Decoys avoid the real notch's columns so they never hide it, and are turned so a
        // human can tell them from the piece's shape while a naive dark-blob detector cannot.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var x = random.Next(size, Math.Max(size + 1, spec.Width - size));
            if (Math.Abs(x - spec.PieceX) < size * 1.2)
            {
                continue;
            }

            var y = random.Next(2, Math.Max(3, spec.Height - size - 2));
            DrawNotch(image, spec.Width, spec.Height, x, y, PuzzleMask.For(size, quarterTurns: 1 + random.Next(3)));
            return;
        }
    }

    /// <summary>Encodes palette indices as PNG or WebP; <paramref name="transparent"/> makes entry 0 transparent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RentedBytes Encode(ReadOnlySpan<byte> indices, int width, int height, PuzzlePalette palette, ImageFormat format, int pngCompressionLevel, bool transparent)
    {
        if (format == ImageFormat.Png)
        {
            return PngWriter.EncodePooled(indices, width, height, palette.Rgb, transparent, pngCompressionLevel);
        }

        // WebP has no palette mode in Skia's encoder: expand to straight-alpha RGBA first.
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, transparent ? SKAlphaType.Unpremul : SKAlphaType.Opaque);
        var rgba = ArrayPool<byte>.Shared.Rent(width * height * 4);
        try
        {
            var rgb = palette.Rgb;
            for (var i = 0; i < width * height; i++)
            {
                var entry = indices[i] * 3;
                var transparentPixel = transparent && indices[i] == PuzzlePalette.Transparent;
                rgba[i * 4] = rgb[entry];
                rgba[(i * 4) + 1] = rgb[entry + 1];
                rgba[(i * 4) + 2] = rgb[entry + 2];
                rgba[(i * 4) + 3] = transparentPixel ? (byte)0 : (byte)255;
            }

            unsafe
            {
                fixed (byte* address = rgba)
                {
                    using var pixmap = new SKPixmap(info, (IntPtr)address, width * 4);
                    using var data = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, WebpQuality))
                        ?? throw new InvalidOperationException("Skia could not encode the challenge as WebP.");
                    var encoded = RentedBytes.Rent((int)data.Size);
                    data.AsSpan().CopyTo(encoded.Array);
                    return encoded;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }
}
