using RedisRing.Captcha.Images;
using SkiaSharp;

namespace RedisRing.Captcha.Tests.Images;

/// <summary>
/// The strongest image attacks we could think of against our own challenges, each answering an
/// x from the served background, the piece and pieceY alone, as a bot would. Every one of them
/// may restrict itself to the range the real answer is drawn from (the code is public).
/// </summary>
internal sealed class SliderBot
{
    private readonly Channels _background;
    private readonly Channels _piece;
    private readonly int _size;
    private readonly int _pieceY;
    private readonly int[] _candidates;

    public SliderBot(byte[] background, byte[] piece, int pieceY)
    {
        (_background, _piece, _pieceY) = (Channels.Decode(background), Channels.Decode(piece), pieceY);
        _size = _piece.Width;
        _candidates = Enumerable.Range(GapPlacement.MinX(_size), GapPlacement.EndX(_background.Width, _size) - GapPlacement.MinX(_size)).ToArray();
    }

    /// <summary>
    /// Attacks on the hole itself: matching the piece's pixels, the hole's outline, edge colour
    /// or darkness, colour statistics of what is inside it. The images are built so that these
    /// do no better than picking one of the holes at random.
    /// </summary>
    public static IReadOnlyList<(string Name, Func<SliderBot, int> Attack)> ShortcutAttacks { get; } =
    [
        ("template SAD (exact / near-exact match of the piece, RGB)", bot => bot.Best(bot.TemplateSad, lowest: true)),
        ("template NCC (gain- and offset-invariant, grey)", bot => bot.Best(bot.TemplateNcc, lowest: false)),
        ("Sobel along the outline", bot => bot.Best(bot.OutlineEdges, lowest: false)),
        ("darkest outline-shaped blob", bot => bot.Best(bot.Darkness, lowest: true)),
        ("colour statistics of the hole's inside vs the piece", bot => bot.Best(bot.InsideHistogram, lowest: false)),
        ("holes by Sobel, then the best NCC among them", bot => bot.HolesThenNcc()),
    ];

    /// <summary>
    /// Attacks on the picture around the hole, which is what a person uses to tell the real
    /// hole from the decoys (the piece's picture continues the one around it): not defeated,
    /// measured.
    /// </summary>
    public static IReadOnlyList<(string Name, Func<SliderBot, int> Attack)> ContextAttacks { get; } =
    [
        ("colour statistics of the ring around the hole vs the piece", bot => bot.Best(bot.RingHistogram, lowest: false)),
        ("boundary continuity (piece rim vs background just outside)", bot => bot.Best(bot.Continuity, lowest: true)),
        ("holes by Sobel, then the best ring colour statistics", bot => bot.HolesThen(bot.RingHistogram, lowest: false)),
        ("holes by Sobel, then the best continuity", bot => bot.HolesThen(bot.Continuity, lowest: true)),
    ];

    private int Best(Func<int, double> score, bool lowest) =>
        lowest ? _candidates.MinBy(score) : _candidates.MaxBy(score);

    /// <summary>Opaque piece pixels (full coverage): what a template matcher compares.</summary>
    private IEnumerable<(int X, int Y)> Opaque() =>
        from y in Enumerable.Range(0, _size) from x in Enumerable.Range(0, _size) where _piece.A[(y * _size) + x] == 255 select (x, y);

    private (int X, int Y)[]? _opaque;

    private (int X, int Y)[] OpaquePixels => _opaque ??= Opaque().ToArray();

    private double TemplateSad(int left)
    {
        var sum = 0.0;
        foreach (var (x, y) in OpaquePixels)
        {
            var (b, p) = (_background.Index(left + x, _pieceY + y), _piece.Index(x, y));
            sum += Math.Abs(_background.R[b] - _piece.R[p]) + Math.Abs(_background.G[b] - _piece.G[p]) + Math.Abs(_background.B[b] - _piece.B[p]);
        }

        return sum;
    }

    private double TemplateNcc(int left)
    {
        var pixels = OpaquePixels;
        double sp = 0, sb = 0, spp = 0, sbb = 0, spb = 0;
        foreach (var (x, y) in pixels)
        {
            var (b, p) = (_background.Grey(_background.Index(left + x, _pieceY + y)), _piece.Grey(_piece.Index(x, y)));
            (sp, sb, spp, sbb, spb) = (sp + p, sb + b, spp + (p * p), sbb + (b * b), spb + (p * b));
        }

        var n = pixels.Length;
        var covariance = spb - (sp * sb / n);
        var spread = Math.Sqrt(Math.Max(1e-9, (spp - (sp * sp / n)) * (sbb - (sb * sb / n))));
        return covariance / spread;
    }

    /// <summary>Pixels where the piece's alpha is partial or next to a change: the outline.</summary>
    private (int X, int Y)[]? _outline;

    private (int X, int Y)[] Outline => _outline ??= (
        from y in Enumerable.Range(1, _size - 2)
        from x in Enumerable.Range(1, _size - 2)
        let a = _piece.A[(y * _size) + x]
        where a is > 0 and < 255 || (a == 255 && (_piece.A[(y * _size) + x - 1] < 255 || _piece.A[(y * _size) + x + 1] < 255 || _piece.A[((y - 1) * _size) + x] < 255 || _piece.A[((y + 1) * _size) + x] < 255))
        select (x, y)).ToArray();

    private float[]? _sobel;

    /// <summary>Sobel gradient magnitude of the background's grey levels.</summary>
    private float[] Sobel => _sobel ??= _background.SobelMagnitude();

    private double OutlineEdges(int left)
    {
        var sobel = Sobel;
        return Outline.Average(p => sobel[_background.Index(left + p.X, _pieceY + p.Y)]);
    }

    private double Darkness(int left)
    {
        var inside = OpaquePixels.Average(p => _background.Grey(_background.Index(left + p.X, _pieceY + p.Y)));
        var ring = Ring.Average(p => _background.Grey(_background.Index(left + p.X, _pieceY + p.Y)));
        return inside - ring;
    }

    /// <summary>
    /// Pixels 4 to 8 outside the outline, inside the image: the hole's surroundings beyond its
    /// rim (the hole is drawn a little larger than the piece).
    /// </summary>
    private (int X, int Y)[]? _ring;

    private (int X, int Y)[] Ring => _ring ??= (
        from y in Enumerable.Range(-8, _size + 16)
        from x in Enumerable.Range(-8, _size + 16)
        where _pieceY + y >= 0 && _pieceY + y < _background.Height && !Near(x, y, 3)
        where Near(x, y, 8)
        select (x, y)).ToArray();

    /// <summary>Whether some covered piece pixel is within <paramref name="distance"/> along a row or column.</summary>
    private bool Near(int x, int y, int distance) =>
        Enumerable.Range(-distance, (2 * distance) + 1).Any(d => AlphaAt(x + d, y) > 0 || AlphaAt(x, y + d) > 0);

    private int AlphaAt(int x, int y) => x < 0 || y < 0 || x >= _size || y >= _size ? 0 : _piece.A[(y * _size) + x];

    private double[]? _pieceHistogram;

    private double RingHistogram(int left)
    {
        _pieceHistogram ??= Histogram(OpaquePixels.Select(p => _piece.Index(p.X, p.Y)), _piece);
        var ring = Histogram(Ring.Select(p => _background.Index(left + p.X, _pieceY + p.Y)), _background);
        return _pieceHistogram.Zip(ring).Sum(pair => Math.Min(pair.First, pair.Second));
    }

    private double InsideHistogram(int left)
    {
        _pieceHistogram ??= Histogram(OpaquePixels.Select(p => _piece.Index(p.X, p.Y)), _piece);
        var inside = Histogram(OpaquePixels.Select(p => _background.Index(left + p.X, _pieceY + p.Y)), _background);
        return _pieceHistogram.Zip(inside).Sum(pair => Math.Min(pair.First, pair.Second));
    }

    /// <summary>Colour histogram, 3 bits a channel, normalised.</summary>
    private static double[] Histogram(IEnumerable<int> indices, Channels channels)
    {
        var bins = new double[512];
        var count = 0;
        foreach (var i in indices)
        {
            bins[((int)channels.R[i] >> 5 << 6) | ((int)channels.G[i] >> 5 << 3) | ((int)channels.B[i] >> 5)]++;
            count++;
        }

        return bins.Select(b => b / Math.Max(1, count)).ToArray();
    }

    /// <summary>
    /// Pairs of a piece pixel just inside its outline and the background pixel a few pixels
    /// further out along the outline's normal: at the real hole they are neighbours in one
    /// picture; elsewhere they are not.
    /// </summary>
    private (int Px, int Py, int Qx, int Qy)[]? _pairs;

    private (int Px, int Py, int Qx, int Qy)[] Pairs => _pairs ??= BuildPairs();

    private (int Px, int Py, int Qx, int Qy)[] BuildPairs()
    {
        var pairs = new List<(int, int, int, int)>();
        foreach (var (x, y) in OpaquePixels)
        {
            // The alpha gradient points inwards; step against it, past the rim.
            var gx = AlphaAt(x + 2, y) - AlphaAt(x - 2, y);
            var gy = AlphaAt(x, y + 2) - AlphaAt(x, y - 2);
            var length = Math.Sqrt((gx * gx) + (gy * gy));
            if (length < 100)
            {
                continue;
            }

            var (qx, qy) = ((int)Math.Round(x - (gx / length * 5)), (int)Math.Round(y - (gy / length * 5)));
            if (AlphaAt(qx, qy) == 0 && _pieceY + qy >= 0 && _pieceY + qy < _background.Height)
            {
                pairs.Add((x, y, qx, qy));
            }
        }

        return pairs.ToArray();
    }

    private double Continuity(int left)
    {
        var sum = 0.0;
        foreach (var (px, py, qx, qy) in Pairs)
        {
            var (b, p) = (_background.Index(left + qx, _pieceY + qy), _piece.Index(px, py));
            sum += Math.Abs(_background.R[b] - _piece.R[p]) + Math.Abs(_background.G[b] - _piece.G[p]) + Math.Abs(_background.B[b] - _piece.B[p]);
        }

        return sum / Math.Max(1, Pairs.Length);
    }

    /// <summary>Hole candidates: the best outline-edge scores, at least a piece's width apart.</summary>
    private List<int> Holes(int count)
    {
        var ranked = _candidates.OrderByDescending(OutlineEdges).ToList();
        var holes = new List<int>();
        foreach (var x in ranked)
        {
            if (holes.All(h => Math.Abs(h - x) >= _size))
            {
                holes.Add(x);
                if (holes.Count == count)
                {
                    break;
                }
            }
        }

        return holes;
    }

    /// <summary>Among the hole candidates (refined by +-2 px), the best by <paramref name="score"/>.</summary>
    private int HolesThen(Func<int, double> score, bool lowest) =>
        lowest ? Refined(Holes(4)).MinBy(score) : Refined(Holes(4)).MaxBy(score);

    private int HolesThenNcc() => Refined(Holes(4)).MaxBy(TemplateNcc);

    private IEnumerable<int> Refined(IEnumerable<int> holes) =>
        holes.SelectMany(h => Enumerable.Range(h - 2, 5)).Where(x => x >= _candidates[0] && x <= _candidates[^1]);

    /// <summary>A decoded picture as float channels (straight alpha).</summary>
    private sealed class Channels
    {
        private Channels(int width, int height) => (Width, Height, R, G, B, A) = (width, height, new float[width * height], new float[width * height], new float[width * height], new byte[width * height]);

        public int Width { get; }

        public int Height { get; }

        public float[] R { get; }

        public float[] G { get; }

        public float[] B { get; }

        public byte[] A { get; }

        public static Channels Decode(byte[] encoded)
        {
            using var decoded = SKBitmap.Decode(encoded);
            var channels = new Channels(decoded.Width, decoded.Height);
            for (var y = 0; y < decoded.Height; y++)
            {
                for (var x = 0; x < decoded.Width; x++)
                {
                    // Unpremultiplied, as the bot sees the colours.
                    var colour = decoded.GetPixel(x, y);
                    var i = (y * decoded.Width) + x;
                    (channels.R[i], channels.G[i], channels.B[i], channels.A[i]) = (colour.Red, colour.Green, colour.Blue, colour.Alpha);
                }
            }

            return channels;
        }

        public int Index(int x, int y) => (Math.Clamp(y, 0, Height - 1) * Width) + Math.Clamp(x, 0, Width - 1);

        public float Grey(int i) => (0.299f * R[i]) + (0.587f * G[i]) + (0.114f * B[i]);

        public float[] SobelMagnitude()
        {
            var magnitude = new float[Width * Height];
            for (var y = 1; y < Height - 1; y++)
            {
                for (var x = 1; x < Width - 1; x++)
                {
                    float G(int dx, int dy) => Grey(Index(x + dx, y + dy));
                    var gx = G(1, -1) + (2 * G(1, 0)) + G(1, 1) - G(-1, -1) - (2 * G(-1, 0)) - G(-1, 1);
                    var gy = G(-1, 1) + (2 * G(0, 1)) + G(1, 1) - G(-1, -1) - (2 * G(0, -1)) - G(1, -1);
                    magnitude[Index(x, y)] = MathF.Sqrt((gx * gx) + (gy * gy));
                }
            }

            return magnitude;
        }
    }
}
