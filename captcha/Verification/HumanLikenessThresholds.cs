namespace RedisRing.Captcha.Verification;

/// <summary>
/// The limits the track checks use. docs/captcha.md explains each; they are deliberately loose
/// enough for a hurried human on a touch screen and tight enough to refuse naive scripts.
/// </summary>
internal sealed record HumanLikenessThresholds
{
    /// <summary>Shortest drag, from first to last sample.</summary>
    public double MinDragMilliseconds { get; init; } = 250;

    /// <summary>Fewest samples in a pointer drag (browsers send one per frame, 60+ per second).</summary>
    public int MinPointerPoints { get; init; } = 8;

    /// <summary>Fewest key presses in a keyboard answer (its track is the start point, then one point per press).</summary>
    public int MinKeyPresses { get; init; } = 3;

    /// <summary>Longest step between two consecutive samples, as a fraction of the width.</summary>
    public double MaxPointerStep { get; init; } = 0.12;

    /// <summary>Longest step between two key presses: the widget's Shift+arrow step (5%) plus rounding.</summary>
    public double MaxKeyboardStep { get; init; } = 0.0515;

    /// <summary>The widget's plain arrow-key step, a fraction of the width.</summary>
    public double KeyStep { get; init; } = 0.01;

    /// <summary>Most presses per plain-arrow step of the offset (with <see cref="ExtraKeyPresses"/>): three times the straight count.</summary>
    public double MaxKeyPressesPerStep { get; init; } = 3;

    /// <summary>Presses allowed on top of <see cref="MaxKeyPressesPerStep"/> for corrections near a small offset.</summary>
    public int ExtraKeyPresses { get; init; } = 10;

    /// <summary>
    /// Shortest interval between two key presses. Operating systems repeat a held key at most
    /// ~30-40 times a second (25-33 ms) by default; 20 ms leaves room for event jitter.
    /// </summary>
    public double MinKeyIntervalMilliseconds { get; init; } = 20;

    /// <summary>
    /// Coefficient of variation of the intervals between presses below which they are a script's
    /// fixed rate. Tapping varies by 20% or more; a held key's repeats are regular, but its first
    /// repeat comes after a delay of a few hundred milliseconds, which alone lifts this far above.
    /// </summary>
    public double MinKeyIntervalVariation { get; init; } = 0.1;

    /// <summary>A drag whose vertical range is below this is a ruler-straight synthetic line.</summary>
    public double MinVerticalRange { get; init; } = 1e-6;

    /// <summary>Coefficient of variation of segment speeds below which the motion is machine-constant.</summary>
    public double MinSpeedVariation { get; init; } = 0.08;

    /// <summary>The last part of the drag, by time, that must be slower than the peak.</summary>
    public double FinalPhaseFraction { get; init; } = 0.2;

    /// <summary>The final phase's mean speed must be below this fraction of the peak speed.</summary>
    public double MaxFinalToPeakSpeed { get; init; } = 0.7;

    /// <summary>How far the track's horizontal travel may differ from the submitted offset.</summary>
    public double MaxTrackOffsetDisagreement { get; init; } = 0.03;

    public static HumanLikenessThresholds Default { get; } = new();
}
