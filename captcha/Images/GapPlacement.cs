namespace RedisRing.Captcha.Images;

/// <summary>
/// Where the holes go: the real one and its decoys on the same row (the row the response
/// discloses as <c>pieceY</c>), not overlapping, all in the range the real answer is drawn from.
/// The positions are drawn as one set, uniform over every valid set, and the real one is a
/// uniformly random member of it: drawing the real x first and fitting decoys around it would
/// make positions near the ends of the range more likely to be real.
/// </summary>
internal static class GapPlacement
{
    /// <summary>Clear pixels between two holes, so each reads as its own.</summary>
    private const int Spacing = 4;

    /// <summary>The smallest x: the piece starts at x = 0 and must visibly move.</summary>
    public static int MinX(int size) => size + 10;

    /// <summary>The largest x plus one: the hole stays inside the image.</summary>
    public static int EndX(int width, int size) => width - size - 4;

    /// <summary>How many holes fit side by side on one row of an image this wide.</summary>
    public static int MaxOnRow(int width, int size) => 1 + ((EndX(width, size) - MinX(size) - 1) / (size + Spacing));

    /// <summary>
    /// <paramref name="count"/> x positions (capped at <see cref="MaxOnRow"/>), sorted, at least a
    /// hole's width plus <see cref="Spacing"/> apart. <paramref name="next"/> draws an integer in
    /// [min, max): the CSPRNG for the service.
    /// </summary>
    public static int[] Choose(int width, int size, int count, Func<int, int, int> next)
    {
        count = Math.Clamp(count, 1, MaxOnRow(width, size));
        // Uniform over sets with minimum gap g: draw distinct values from a range shortened by
        // (count - 1) * (g - 1), sort them, then spread the i-th by i * (g - 1).
        var stretch = size + Spacing - 1;
        var range = EndX(width, size) - MinX(size) - ((count - 1) * stretch);
        var picks = new SortedSet<int>();
        while (picks.Count < count)
        {
            picks.Add(next(0, range));
        }

        return picks.Select((pick, i) => MinX(size) + pick + (i * stretch)).ToArray();
    }

    /// <summary>
    /// Decoy positions for a real x chosen elsewhere (tests, benchmarks, tools): draws a set
    /// until one of its members can be moved onto <paramref name="realX"/> without overlapping.
    /// </summary>
    public static int[] DecoysAround(int width, int size, int realX, int decoys, Random random)
    {
        var count = Math.Min(decoys, MaxOnRow(width, size) - 1);
        for (var attempt = 0; attempt < 64 && count > 0; attempt++)
        {
            var set = Choose(width, size, count + 1, random.Next);
            var replaced = random.Next(set.Length);
            var others = set.Where((_, i) => i != replaced).ToArray();
            if (others.All(x => Math.Abs(x - realX) >= size + Spacing))
            {
                return others;
            }
        }

        return [];
    }
}
