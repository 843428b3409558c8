namespace RedisRing.Captcha.Verification;

/// <summary>The outcome of the human-likeness checks; anything but <see cref="Human"/> is a refusal.</summary>
internal enum TrackVerdict
{
    Human,
    SolvedTooFast,
    TooShort,
    TooFewPoints,
    TimeNotIncreasing,
    Teleport,
    PerfectlyFlat,
    ConstantSpeed,
    NoDeceleration,
    TrackDisagreesWithOffset,
    KeyboardNotAllowed,
}
