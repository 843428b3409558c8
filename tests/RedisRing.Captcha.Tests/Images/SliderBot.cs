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
    private readonly int _holeCount;

    /// <param name="holeCount">
    /// How many holes the site draws (decoys + 1): a bot learns it from the first challenge it
    /// sees, since a site's setting does not change from one challenge to the next.
    /// </param>
    public SliderBot(byte[] background, byte[] piece, int pieceY, int holeCount = 4)
    {
        (_background, _piece, _pieceY, _holeCount) = (Channels.Decode(background), Channels.Decode(piece), pieceY, holeCount);
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
        .. HoleFeatureAttacks(),
    ];

    /// <summary>
    /// Find the holes (their count is known), then take the one with the highest, or the lowest,
    /// value of one thing a renderer could let differ between the real hole and a decoy: how dark
    /// its fill is against its surroundings, how much texture is left in it, its rim's brightness
    /// (a fixed edge colour), the depth of its inner shadow, the hue of its fill, the sharpness
    /// of its outline, and JPEG blockiness inside it (a hole drawn, or re-encoded, differently
    /// would sit on the 8x8 grid differently); also where it lies (leftmost, rightmost,
    /// nearest the middle: a placement that favoured some positions for the real hole). If the
    /// notch differed from the decoys in any of these, one of the two directions would beat
    /// picking a hole at random.
    /// </summary>
    private static IEnumerable<(string Name, Func<SliderBot, int> Attack)> HoleFeatureAttacks()
    {
        (string Name, Func<SliderBot, int, double> Feature)[] features =
        [
            ("fill darkness against the surroundings", (bot, left) => bot.Darkness(left)),
            ("texture (grey spread) inside the hole", (bot, left) => bot.Spread(left)),
            ("rim brightness against the surroundings", (bot, left) => bot.RimBrightness(left)),
            ("inner shadow depth", (bot, left) => bot.ShadowDepth(left)),
            ("fill hue (red minus blue)", (bot, left) => bot.FillHue(left)),
            ("outline sharpness (Sobel on the rim over Sobel on the ring)", (bot, left) => bot.OutlineSharpness(left)),
            ("JPEG blockiness inside the hole", (bot, left) => bot.Blockiness(left)),
        ];
        foreach (var (name, feature) in features)
        {
            yield return ($"holes, then the highest {name}", bot => bot.FoundHoles.MaxBy(x => feature(bot, x)));
            yield return ($"holes, then the lowest {name}", bot => bot.FoundHoles.MinBy(x => feature(bot, x)));
        }

        // Where the holes are: the real one is a uniformly random member of a uniformly drawn set.
        yield return ("holes, then the leftmost", bot => bot.FoundHoles.Min());
        yield return ("holes, then the rightmost", bot => bot.FoundHoles.Max());
        yield return ("holes, then the one nearest the middle", bot => bot.FoundHoles.MinBy(x => Math.Abs(x + (bot._size / 2) - (bot._background.Width / 2))));
        yield return ("holes, then the odd one out by all of these together", bot => bot.OddOneOut(features.Select(f => f.Feature).ToArray()));
    }

    /// <summary>
    /// The hole whose features, each scaled by its spread over the holes, lie farthest from the
    /// mean of the other holes': a notch drawn differently in any mix of ways stands out.
    /// </summary>
    private int OddOneOut(Func<SliderBot, int, double>[] features)
    {
        var holes = FoundHoles;
        var values = features.Select(f => holes.Select(h => f(this, h)).ToArray()).ToArray();
        double Distance(int hole) => values.Sum(row =>
        {
            var others = row.Where((_, i) => i != hole).ToArray();
            var mean = others.Average();
            var spread = Math.Sqrt(row.Average(v => (v - row.Average()) * (v - row.Average()))) + 1e-9;
            return Math.Pow((row[hole] - mean) / spread, 2);
        });
        return holes[Enumerable.Range(0, holes.Length).MaxBy(Distance)];
    }

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
        ("holes, then the most border pixels whose smoothed colour continues outside", bot => bot.FoundHoles.MaxBy(bot.SmoothContinuity)),
        ("holes, then the best rank by ring colours and smoothed continuity together", bot => bot.BestByRanks()),
    ];

    /// <summary>
    /// The holes, as many as the site draws, each at the x (within 3 px of where the Sobel
    /// ranking found it) where the outline's edges are strongest.
    /// </summary>
    private int[]? _foundHoles;

    private int[] FoundHoles => _foundHoles ??= Holes(_holeCount)
        .Select(h => Enumerable.Range(h - 3, 7).Where(x => x >= _candidates[0] && x <= _candidates[^1]).MaxBy(OutlineEdges))
        .ToArray();

    /// <summary>Whether the real hole is among <see cref="FoundHoles"/> (within the tolerance).</summary>
    public bool FoundTheHole(int realX, double tolerance) => FoundHoles.Any(h => Math.Abs(h - realX) <= tolerance);

    private (int X, int Y)[]? _core;

    /// <summary>Opaque piece pixels at least 6 px from any edge of it: the flat middle of a hole.</summary>
    private (int X, int Y)[] Core => _core ??= OpaquePixels.Where(p => !Near(p.X, p.Y, 6, transparent: true)).ToArray();

    private (int X, int Y)[]? _shadowBand;

    /// <summary>Opaque pixels within 3 px below or right of the piece's top or left edge, where holes draw their inner shadow.</summary>
    private (int X, int Y)[] ShadowBand => _shadowBand ??= OpaquePixels.Where(p => AlphaAt(p.X - 3, p.Y) < 255 || AlphaAt(p.X, p.Y - 3) < 255).ToArray();

    private (int X, int Y)[]? _rimZone;

    /// <summary>Pixels 1-3 px outside the piece's outline, where a hole (drawn a little larger) has its rim.</summary>
    private (int X, int Y)[] RimZone => _rimZone ??= (
        from y in Enumerable.Range(-3, _size + 6)
        from x in Enumerable.Range(-3, _size + 6)
        where _pieceY + y >= 0 && _pieceY + y < _background.Height && AlphaAt(x, y) == 0 && Near(x, y, 3)
        select (x, y)).ToArray();

    private double MeanGrey(IEnumerable<(int X, int Y)> pixels, int left) =>
        pixels.Average(p => _background.Grey(_background.Index(left + p.X, _pieceY + p.Y)));

    private double Spread(int left)
    {
        var greys = Core.Select(p => (double)_background.Grey(_background.Index(left + p.X, _pieceY + p.Y))).ToArray();
        var mean = greys.Average();
        return Math.Sqrt(greys.Average(g => (g - mean) * (g - mean)));
    }

    private double RimBrightness(int left) => MeanGrey(RimZone, left) - MeanGrey(Ring, left);

    private double ShadowDepth(int left) => MeanGrey(Core, left) - MeanGrey(ShadowBand, left);

    private double FillHue(int left) =>
        Core.Average(p => _background.R[_background.Index(left + p.X, _pieceY + p.Y)] - _background.B[_background.Index(left + p.X, _pieceY + p.Y)]) / Math.Max(1, MeanGrey(Core, left));

    private double OutlineSharpness(int left)
    {
        var sobel = Sobel;
        return RimZone.Average(p => sobel[_background.Index(left + p.X, _pieceY + p.Y)]) / Math.Max(1e-3, Ring.Average(p => sobel[_background.Index(left + p.X, _pieceY + p.Y)]));
    }

    /// <summary>
    /// Mean grey step across the JPEG grid's vertical block boundaries inside the hole, over the
    /// mean step between other neighbouring columns there.
    /// </summary>
    private double Blockiness(int left)
    {
        var (across, acrossCount, within, withinCount) = (0.0, 0, 0.0, 0);
        foreach (var (x, y) in Core)
        {
            if (AlphaAt(x - 1, y) < 255)
            {
                continue;
            }

            var step = Math.Abs(_background.Grey(_background.Index(left + x, _pieceY + y)) - _background.Grey(_background.Index(left + x - 1, _pieceY + y)));
            if ((left + x) % 8 == 0)
            {
                (across, acrossCount) = (across + step, acrossCount + 1);
            }
            else
            {
                (within, withinCount) = (within + step, withinCount + 1);
            }
        }

        return (across / Math.Max(1, acrossCount)) / Math.Max(1e-3, within / Math.Max(1, withinCount));
    }

    /// <summary>
    /// Pairs as for <see cref="Continuity"/>, but both ends averaged over 3x3 (opaque piece pixels
    /// only) to take the noise out, each pair a vote when their colours are within 30 of each
    /// other (sum of channel differences): robust to a few pairs far off, which the mean is not.
    /// </summary>
    private double SmoothContinuity(int left)
    {
        var votes = 0;
        foreach (var (px, py, qx, qy) in Pairs)
        {
            var (pr, pg, pb) = SmoothPiece(px, py);
            var (br, bg, bb) = SmoothBackground(left + qx, _pieceY + qy);
            votes += Math.Abs(pr - br) + Math.Abs(pg - bg) + Math.Abs(pb - bb) < 30 ? 1 : 0;
        }

        return (double)votes / Math.Max(1, Pairs.Length);
    }

    private (double R, double G, double B) SmoothPiece(int x, int y)
    {
        var (r, g, b, n) = (0.0, 0.0, 0.0, 0);
        for (var dy = -1; dy <= 1; dy++)
        {
            for (var dx = -1; dx <= 1; dx++)
            {
                if (AlphaAt(x + dx, y + dy) == 255)
                {
                    var i = _piece.Index(x + dx, y + dy);
                    (r, g, b, n) = (r + _piece.R[i], g + _piece.G[i], b + _piece.B[i], n + 1);
                }
            }
        }

        return (r / n, g / n, b / n);
    }

    private (double R, double G, double B) SmoothBackground(int x, int y)
    {
        var (r, g, b) = (0.0, 0.0, 0.0);
        for (var dy = -1; dy <= 1; dy++)
        {
            for (var dx = -1; dx <= 1; dx++)
            {
                var i = _background.Index(x + dx, y + dy);
                (r, g, b) = (r + _background.R[i], g + _background.G[i], b + _background.B[i]);
            }
        }

        return (r / 9, g / 9, b / 9);
    }

    /// <summary>The hole whose ranks by ring colour statistics and by smoothed continuity sum best.</summary>
    private int BestByRanks()
    {
        var holes = FoundHoles;
        var byRing = holes.OrderByDescending(RingHistogram).ToList();
        var byContinuity = holes.OrderByDescending(SmoothContinuity).ToList();
        return holes.MinBy(h => byRing.IndexOf(h) + byContinuity.IndexOf(h) + (byRing.IndexOf(h) * 0.01));
    }

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

    /// <summary>
    /// Whether some covered piece pixel (or, with <paramref name="transparent"/>, some not fully
    /// covered one) is within <paramref name="distance"/> along a row or column.
    /// </summary>
    private bool Near(int x, int y, int distance, bool transparent = false) =>
        Enumerable.Range(-distance, (2 * distance) + 1).Any(d => transparent
            ? AlphaAt(x + d, y) < 255 || AlphaAt(x, y + d) < 255
            : AlphaAt(x + d, y) > 0 || AlphaAt(x, y + d) > 0);

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
    private List<int> Holes(int count) => _holes.TryGetValue(count, out var holes) ? holes : (_holes[count] = FindHoles(count));

    private readonly Dictionary<int, List<int>> _holes = [];

    private List<int> FindHoles(int count)
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
        lowest ? Refined(Holes(_holeCount)).MinBy(score) : Refined(Holes(_holeCount)).MaxBy(score);

    private int HolesThenNcc() => Refined(Holes(_holeCount)).MaxBy(TemplateNcc);

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
