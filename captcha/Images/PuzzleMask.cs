using System.Collections.Concurrent;
using SkiaSharp;

namespace RedisRing.Captcha.Images;

/// <summary>
/// The jigsaw outline rasterised into a square of cells: outside, inside, the light edge (inside
/// cells next to the outside) and the inner shadow (a band just inside the top and left edges,
/// which makes the notch read as a hole). Decoys use the outline turned by quarter turns; the
/// shadow stays at the top left, as light from one side would put it.
/// </summary>
internal sealed class PuzzleMask
{
    public const byte Outside = 0;
    public const byte Inside = 1;
    public const byte Edge = 2;
    public const byte Shadow = 3;

    private static readonly ConcurrentDictionary<(int Size, int QuarterTurns), PuzzleMask> Cache = new();

    private readonly byte[] _cells;

    private PuzzleMask(int size, byte[] cells) => (Size, _cells) = (size, cells);

    public int Size { get; }

    public byte this[int x, int y] => _cells[(y * Size) + x];

    /// <summary>The mask for a bounding box of <paramref name="size"/>, turned clockwise; built once per pair.</summary>
    public static PuzzleMask For(int size, int quarterTurns) =>
        Cache.GetOrAdd((size, ((quarterTurns % 4) + 4) % 4), key => Create(key.Size, key.QuarterTurns));

    private static unsafe PuzzleMask Create(int size, int quarterTurns)
    {
        // Skia fills the outline without anti-aliasing: a cell is inside when its centre is.
        var coverage = new byte[size * size];
        fixed (byte* address = coverage)
        {
            using var surface = SKSurface.Create(new SKImageInfo(size, size, SKColorType.Alpha8, SKAlphaType.Premul), (IntPtr)address, size)
                ?? throw new InvalidOperationException("Skia could not wrap the mask in a surface.");
            using var paint = new SKPaint { IsAntialias = false, Color = SKColors.Black };
            using var outline = PuzzleShape.Create(0, 0, size);
            surface.Canvas.RotateDegrees(90 * quarterTurns, size / 2f, size / 2f);
            surface.Canvas.DrawPath(outline, paint);
            surface.Canvas.Flush();
        }

        var inside = coverage.Select(alpha => alpha != 0).ToArray();
        bool In(int x, int y) => x >= 0 && y >= 0 && x < size && y < size && inside[(y * size) + x];

        var cells = new byte[size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                cells[(y * size) + x] = !In(x, y) ? Outside
                    : !In(x - 1, y) || !In(x + 1, y) || !In(x, y - 1) || !In(x, y + 1) ? Edge
                    : !In(x - 2, y - 2) || !In(x - 3, y - 3) ? Shadow
                    : Inside;
            }
        }

        return new PuzzleMask(size, cells);
    }
}
