namespace RedisRing.Captcha.Verification;

/// <summary>
/// The checks a keyboard answer faces instead of the motion checks. The widget records the start
/// (first point) and then one point per arrow key press: the piece's offset after it and the
/// time. People press keys at uneven intervals, or hold a key and let the operating system repeat
/// it (after a pause of a few hundred milliseconds, at most ~30-40 repeats a second); a script that
/// sends presses at a fixed rate, or faster than any key repeats, is refused. None of this is hard
/// to forge for a bot that knows it: it is why keyboard answers also pay a proof of work and get a
/// lower score (docs/captcha.md).
/// </summary>
internal static class KeyTimingAnalyzer
{
    public static TrackVerdict Analyze(ReadOnlySpan<TrackPoint> track, double offset, HumanLikenessThresholds thresholds)
    {
        var presses = track.Length - 1;
        if (presses < thresholds.MinKeyPresses)
        {
            return TrackVerdict.TooFewPoints;
        }

        // The widget moves 1% of the width per press (5% with Shift): an answer needs at least
        // offset/5% presses (the step check enforces that) and a person rarely needs more than
        // three times the plain-arrow count, corrections included.
        if (presses > (thresholds.MaxKeyPressesPerStep * Math.Abs(offset) / thresholds.KeyStep) + thresholds.ExtraKeyPresses)
        {
            return TrackVerdict.TooManyKeyPresses;
        }

        // Intervals between presses (the first press is at the start point's time).
        double sum = 0, min = double.MaxValue;
        for (var i = 2; i < track.Length; i++)
        {
            var interval = track[i].T - track[i - 1].T;
            sum += interval;
            min = Math.Min(min, interval);
        }

        if (min < thresholds.MinKeyIntervalMilliseconds)
        {
            return TrackVerdict.KeysTooFast;
        }

        var intervals = presses - 1;
        var mean = sum / intervals;
        var squares = 0.0;
        for (var i = 2; i < track.Length; i++)
        {
            var deviation = track[i].T - track[i - 1].T - mean;
            squares += deviation * deviation;
        }

        return Math.Sqrt(squares / intervals) / mean < thresholds.MinKeyIntervalVariation
            ? TrackVerdict.KeyTimingTooRegular
            : TrackVerdict.Human;
    }
}
