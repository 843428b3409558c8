namespace RedisRing.Captcha.Verification;

/// <summary>
/// The outcome of the checks an answer faces besides its position (motion or key timing, proof of
/// work); anything but <see cref="Human"/> is a refusal. Logged, never sent to the client.
/// </summary>
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
    TooManyKeyPresses,
    KeysTooFast,
    KeyTimingTooRegular,
    AccessibleNotAllowed,
    ProofOfWorkMissing,
    ProofOfWorkWrong,
}
