namespace RedisRing.Captcha.Verification;

/// <summary>
/// Decides whether an answer's drag track looks like a person moved it. Every check is cheap
/// (one or two passes over at most a thousand points) and none uses the secret position, so the
/// verdict can be computed before or after the offset check.
/// </summary>
internal static class TrackAnalyzer
{
    public static TrackVerdict Analyze(
        IReadOnlyList<TrackPoint> track,
        InputKind kind,
        double offset,
        double serverElapsedMs,
        int minSolveMs,
        bool allowKeyboard,
        HumanLikenessThresholds thresholds) =>
        Analyze([.. track], kind, offset, serverElapsedMs, minSolveMs, allowKeyboard, thresholds);

    public static TrackVerdict Analyze(
        ReadOnlySpan<TrackPoint> track,
        InputKind kind,
        double offset,
        double serverElapsedMs,
        int minSolveMs,
        bool allowKeyboard,
        HumanLikenessThresholds thresholds)
    {
        if (serverElapsedMs < minSolveMs)
        {
            return TrackVerdict.SolvedTooFast;
        }

        if (kind == InputKind.Keyboard && !allowKeyboard)
        {
            return TrackVerdict.KeyboardNotAllowed;
        }

        var keyboard = kind == InputKind.Keyboard;
        if (track.Length < (keyboard ? thresholds.MinKeyPresses + 1 : thresholds.MinPointerPoints))
        {
            return TrackVerdict.TooFewPoints;
        }

        var duration = track[^1].T - track[0].T;
        if (duration < thresholds.MinDragMilliseconds)
        {
            return TrackVerdict.TooShort;
        }

        var maxStep = keyboard ? thresholds.MaxKeyboardStep : thresholds.MaxPointerStep;
        for (var i = 1; i < track.Length; i++)
        {
            if (track[i].T < track[i - 1].T)
            {
                return TrackVerdict.TimeNotIncreasing;
            }

            if (Math.Abs(track[i].X - track[i - 1].X) > maxStep)
            {
                return TrackVerdict.Teleport;
            }
        }

        // The piece starts at the left edge and moves with the pointer, so the pointer's
        // horizontal travel is the piece's offset (whatever point of the handle was grabbed).
        if (Math.Abs(track[^1].X - track[0].X - offset) > thresholds.MaxTrackOffsetDisagreement)
        {
            return TrackVerdict.TrackDisagreesWithOffset;
        }

        return keyboard ? KeyTimingAnalyzer.Analyze(track, offset, thresholds) : AnalyzePointerMotion(track, duration, thresholds);
    }

    private static TrackVerdict AnalyzePointerMotion(ReadOnlySpan<TrackPoint> track, double duration, HumanLikenessThresholds thresholds)
    {
        double minY = double.MaxValue, maxY = double.MinValue;
        foreach (var p in track)
        {
            minY = Math.Min(minY, p.Y);
            maxY = Math.Max(maxY, p.Y);
        }

        if (maxY - minY < thresholds.MinVerticalRange)
        {
            return TrackVerdict.PerfectlyFlat;
        }

        // Speeds of segments with a measurable duration; the final phase is measured separately.
        // Two passes (mean, then spread) instead of keeping the speeds: nothing is allocated.
        var finalStart = track[^1].T - (duration * thresholds.FinalPhaseFraction);
        double finalDistance = 0, finalTime = 0, speedSum = 0;
        var speeds = 0;
        for (var i = 1; i < track.Length; i++)
        {
            var dt = track[i].T - track[i - 1].T;
            var distance = Math.Abs(track[i].X - track[i - 1].X);
            if (dt > 0)
            {
                speedSum += distance / dt;
                speeds++;
            }

            if (track[i].T > finalStart)
            {
                finalDistance += distance;
                finalTime += dt;
            }
        }

        if (speeds < 3)
        {
            return TrackVerdict.TooFewPoints;
        }

        var mean = speedSum / speeds;
        var squares = 0.0;
        for (var i = 1; i < track.Length; i++)
        {
            var dt = track[i].T - track[i - 1].T;
            if (dt > 0)
            {
                var deviation = (Math.Abs(track[i].X - track[i - 1].X) / dt) - mean;
                squares += deviation * deviation;
            }
        }

        var variance = squares / speeds;
        if (mean <= 0 || Math.Sqrt(variance) / mean < thresholds.MinSpeedVariation)
        {
            return TrackVerdict.ConstantSpeed;
        }

        // The peak is taken over a sliding window of three segments so one jittery sample does
        // not set it; people accelerate, then slow down to line the piece up.
        var peak = 0.0;
        for (var i = 3; i < track.Length; i++)
        {
            var dt = track[i].T - track[i - 3].T;
            if (dt > 0)
            {
                peak = Math.Max(peak, Math.Abs(track[i].X - track[i - 3].X) / dt);
            }
        }

        var finalSpeed = finalTime > 0 ? finalDistance / finalTime : 0;
        return finalSpeed > peak * thresholds.MaxFinalToPeakSpeed ? TrackVerdict.NoDeceleration : TrackVerdict.Human;
    }
}
