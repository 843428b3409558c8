using RedisRing.Captcha.Api;

namespace RedisRing.Captcha.Tests.Support;

/// <summary>Drag tracks for tests: a plausible human one and the usual kinds of scripted ones.</summary>
internal static class Tracks
{
    private const double GrabX = 0.05;

    /// <summary>Ease-out motion (fast start, slow finish) with a little vertical wobble and timing jitter.</summary>
    public static List<TrackPointDto> Human(double offset, int seed = 1, int points = 40, double durationMs = 900)
    {
        var random = new Random(seed);
        var track = new List<TrackPointDto>(points);
        var t = 0.0;
        for (var i = 0; i < points; i++)
        {
            var p = (double)i / (points - 1);
            var eased = 1 - Math.Pow(1 - p, 3);
            var y = 0.5 + (0.006 * Math.Sin(p * 5)) + (random.NextDouble() * 0.002);
            track.Add(new TrackPointDto(GrabX + (offset * eased), y, t));
            t += (durationMs / (points - 1)) + ((random.NextDouble() - 0.5) * 6);
        }

        return track;
    }

    /// <summary>Uniform steps at uniform times: a linear interpolation script.</summary>
    public static List<TrackPointDto> ConstantSpeed(double offset, int points = 40, double durationMs = 900) =>
        Enumerable.Range(0, points)
            .Select(i => new TrackPointDto(GrabX + (offset * i / (points - 1)), 0.5 + (0.003 * (i % 3)), durationMs * i / (points - 1)))
            .ToList();

    /// <summary>A human-like profile on a perfectly horizontal line.</summary>
    public static List<TrackPointDto> Flat(double offset) =>
        Human(offset).ConvertAll(p => p with { Y = 0.5 });

    /// <summary>A few points that jump straight to the answer.</summary>
    public static List<TrackPointDto> Teleport(double offset)
    {
        var track = Human(0.02, points: 12);
        var last = track[^1];
        track.Add(new TrackPointDto(GrabX + offset, last.Y + 0.001, last.T + 16));
        return track;
    }

    /// <summary>Human shape, but it accelerates all the way to the end.</summary>
    public static List<TrackPointDto> Accelerating(double offset, int points = 40, double durationMs = 900)
    {
        var random = new Random(7);
        return Enumerable.Range(0, points)
            .Select(i =>
            {
                var p = (double)i / (points - 1);
                return new TrackPointDto(GrabX + (offset * p * p * p), 0.5 + (random.NextDouble() * 0.004), durationMs * p);
            })
            .ToList();
    }

    /// <summary>
    /// Arrow-key presses as the widget records them: the start point, then the offset after each
    /// press, Shift (5%) steps first and 1% steps to finish, at a person's uneven tapping pace.
    /// </summary>
    public static List<TrackPointDto> KeyPresses(double offset, int seed = 3)
    {
        var points = new List<TrackPointDto> { new(0, 0, 0) };
        var position = 0.0;
        var t = 0.0;
        var random = new Random(seed);
        while (position < offset - 1e-9)
        {
            position = Math.Min(offset, Math.Round(position + (offset - position > 0.05 ? 0.05 : 0.01), 3));
            t += points.Count == 1 ? 0 : 120 + random.Next(150);
            points.Add(new TrackPointDto(position, 0, t));
        }

        return points;
    }

    /// <summary>The same presses at a script's fixed interval.</summary>
    public static List<TrackPointDto> RegularKeyPresses(double offset, double intervalMs)
    {
        var track = KeyPresses(offset);
        return track.Select((p, i) => p with { T = Math.Max(0, i - 1) * intervalMs }).ToList();
    }
}
