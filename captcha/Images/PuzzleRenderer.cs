using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Images;

/// <summary>
/// Renders one challenge: paints a background, expands it to true colour, cuts the piece out of
/// it, draws the real hole and its decoys (same shape, same orientation, same row) with a fill
/// that ignores the picture beneath, adds independent noise to the background and the piece,
/// and encodes both. The clean background never leaves this method, and no pixel of the piece
/// appears in the background: where it came from is covered by a hole like the decoys.
/// </summary>
/// <remarks>
/// The per-pixel loops here and in the painter are marked AggressiveOptimization: they run once
/// per challenge, and under load tiered compilation kept them in instrumented or OSR code for
/// the first 10-20 seconds of a worker's life (seen with perf), several times slower.
/// </remarks>
internal static class PuzzleRenderer
{
    /// <summary>
    /// Holes are drawn from an outline this many pixels larger on each side of its box (about
    /// 2 px wider all round than the piece), so that every opaque pixel of the piece falls on a
    /// hole's flat fill: with a hole exactly the piece's size, the anti-aliased border pixels of
    /// the real hole carried the same picture as the piece's border and template matching
    /// preferred it over the decoys.
    /// </summary>
    private const int HoleGrowth = 3;

    public static RenderedPuzzle Render(PuzzleSpec spec, Random random)
    {
        var (width, height) = (spec.Width, spec.Height);
        var size = PuzzleShape.SizeFor(height);
        var palette = PuzzlePalette.Create(spec.Theme, random);
        var style = GapStyle.Create(random);
        var coverage = PieceCoverage.For(size);
        var holeCoverage = PieceCoverage.For(size + (2 * HoleGrowth));
        var indices = ArrayPool<byte>.Shared.Rent(width * height);
        var backgroundPixels = ArrayPool<byte>.Shared.Rent(width * height * 4);
        var piecePixels = ArrayPool<byte>.Shared.Rent(size * size * 4);
        try
        {
            var image = backgroundPixels.AsSpan(0, width * height * 4);
            var piece = piecePixels.AsSpan(0, size * size * 4);
            BackgroundPainter.Paint(indices, width, height, random);
            Expand(indices.AsSpan(0, width * height), palette.Rgb, image);

            CutPiece(image, width, height, spec.PieceX, spec.PieceY, coverage, style, piece);
            // The fill is the row band's mean colour, darkened: the same for every hole, so it
            // tells nothing about the picture under any one of them.
            var bandMean = BandMean(image, width, height, spec.PieceY, size);
            var decoys = spec.DecoyXs ?? GapPlacement.DecoysAround(width, size, spec.PieceX, spec.Decoys, random);
            foreach (var x in decoys.Append(spec.PieceX))
            {
                var darkness = style.MinDarkness + (random.NextSingle() * (style.MaxDarkness - style.MinDarkness));
                DrawHole(image, width, height, x - HoleGrowth, spec.PieceY - HoleGrowth, holeCoverage, style, bandMean, darkness);
            }

            var noise = new PixelNoise(random);
            noise.AddTo(image);
            noise.AddTo(piece);
            ClearTransparent(piece);

            using var background = ImageEncoder.Encode(image, width, height, spec.Format, opaque: true);
            var pieceFormat = spec.Format == ImageFormat.Jpeg ? ImageFormat.Png : spec.Format;
            using var pieceImage = ImageEncoder.Encode(piece, size, size, pieceFormat, opaque: false);
            return RenderedPuzzle.Create(background.Span, ImageEncoder.ContentType(spec.Format), pieceImage.Span, ImageEncoder.ContentType(pieceFormat), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(indices);
            ArrayPool<byte>.Shared.Return(backgroundPixels);
            ArrayPool<byte>.Shared.Return(piecePixels);
        }
    }

    /// <summary>
    /// Palette indices to opaque RGBA, one 32-bit store a pixel (little-endian: red is the low
    /// byte); byte by byte with bounds checks this was a tenth of a render.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Expand(ReadOnlySpan<byte> indices, ReadOnlySpan<byte> rgb, Span<byte> rgba)
    {
        // 256 entries, so that any index byte reads inside the table without a check.
        Span<uint> colours = stackalloc uint[256];
        colours.Clear();
        for (var entry = 0; entry < rgb.Length / 3 && entry < 256; entry++)
        {
            colours[entry] = rgb[entry * 3] | ((uint)rgb[(entry * 3) + 1] << 8) | ((uint)rgb[(entry * 3) + 2] << 16) | 0xFF00_0000u;
        }

        var pixels = MemoryMarshal.Cast<byte, uint>(rgba)[..indices.Length];
        ref var colour = ref MemoryMarshal.GetReference(colours);
        ref var index = ref MemoryMarshal.GetReference(indices);
        ref var pixel = ref MemoryMarshal.GetReference(pixels);
        for (var i = 0; i < pixels.Length; i++)
        {
            Unsafe.Add(ref pixel, i) = Unsafe.Add(ref colour, Unsafe.Add(ref index, i));
        }
    }

    /// <summary>
    /// The piece: the clean picture inside the outline, re-lit by the style's gain and offset,
    /// with the rim blended over it; alpha is the outline's anti-aliased coverage (zero wherever
    /// the box reaches past the image's border).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CutPiece(ReadOnlySpan<byte> image, int width, int height, int left, int top, PieceCoverage coverage, GapStyle style, Span<byte> piece)
    {
        var size = coverage.Size;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var (imageX, imageY) = (left + x, top + y);
                var cell = (y * size) + x;
                var at = cell * 4;
                var alpha = Math.Max(coverage.Body[cell], coverage.Rim[cell]);
                if (alpha == 0 || imageX < 0 || imageY < 0 || imageX >= width || imageY >= height)
                {
                    piece.Slice(at, 4).Clear();
                    continue;
                }

                var from = ((imageY * width) + imageX) * 4;
                var rim = coverage.Rim[cell] / 255f * style.RimOpacity;
                piece[at] = Blend((image[from] * style.PieceGain) + style.PieceOffset, style.RimColour.R, rim);
                piece[at + 1] = Blend((image[from + 1] * style.PieceGain) + style.PieceOffset, style.RimColour.G, rim);
                piece[at + 2] = Blend((image[from + 2] * style.PieceGain) + style.PieceOffset, style.RimColour.B, rim);
                piece[at + 3] = alpha;
            }
        }
    }

    /// <summary>Mean colour of the rows a hole covers, across the whole width.</summary>
    private static (float R, float G, float B) BandMean(ReadOnlySpan<byte> image, int width, int height, int top, int size)
    {
        var (r, g, b) = (0L, 0L, 0L);
        var (first, end) = (Math.Max(0, top), Math.Min(height, top + size));
        for (var i = first * width * 4; i < end * width * 4; i += 4)
        {
            (r, g, b) = (r + image[i], g + image[i + 1], b + image[i + 2]);
        }

        var count = Math.Max(1, (end - first) * width);
        return ((float)r / count, (float)g / count, (float)b / count);
    }

    /// <summary>
    /// A hole: the fill (darkened band colour, a little lighter towards the bottom) over the body,
    /// the inner shadow, then the rim; every step weighted by anti-aliased coverage. Clipped to
    /// the image.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DrawHole(Span<byte> image, int width, int height, int left, int top, PieceCoverage coverage, GapStyle style, (float R, float G, float B) bandMean, float darkness)
    {
        var size = coverage.Size;
        for (var y = Math.Max(0, -top); y < size && top + y < height; y++)
        {
            var shade = darkness * (0.92f + (0.16f * y / size));
            var fill = (R: bandMean.R * shade, G: bandMean.G * shade, B: bandMean.B * shade);
            for (var x = Math.Max(0, -left); x < size && left + x < width; x++)
            {
                var cell = (y * size) + x;
                var (body, shadow, rim) = (coverage.Body[cell], coverage.Shadow[cell], coverage.Rim[cell]);
                if ((body | rim) == 0)
                {
                    continue;
                }

                var at = (((top + y) * width) + left + x) * 4;
                var (b, s, r) = (body / 255f, shadow / 255f * style.ShadowOpacity, rim / 255f * style.RimOpacity);
                image[at] = Hole(image[at], fill.R, b, s, style.RimColour.R, r);
                image[at + 1] = Hole(image[at + 1], fill.G, b, s, style.RimColour.G, r);
                image[at + 2] = Hole(image[at + 2], fill.B, b, s, style.RimColour.B, r);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Hole(byte picture, float fill, float body, float shadow, byte rimColour, float rim)
    {
        var value = picture + ((fill - picture) * body);
        value += ((fill * 0.45f) - value) * shadow;
        return Blend(value, rimColour, rim);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Blend(float value, byte over, float weight) =>
        (byte)Math.Clamp((int)(value + ((over - value) * weight) + 0.5f), 0, 255);

    /// <summary>Fully transparent pixels carry no colour (the noise put some there): fewer PNG bytes.</summary>
    private static void ClearTransparent(Span<byte> rgba)
    {
        for (var i = 0; i < rgba.Length; i += 4)
        {
            if (rgba[i + 3] == 0)
            {
                rgba.Slice(i, 4).Clear();
            }
        }
    }
}
