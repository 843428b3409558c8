namespace RedisRing.Captcha.Verification;

/// <summary>
/// How the answer was given, as the client claims it. A claim, not a switch: each kind has its own
/// checks, and the weaker the evidence of a person, the higher the proof of work and the lower the
/// score siteverify reports (<see cref="AnswerScore"/>).
/// </summary>
internal enum InputKind
{
    /// <summary>A drag with mouse, touch or pen: the motion checks.</summary>
    Pointer,

    /// <summary>Arrow keys on the slider: the key-timing checks plus a small proof of work.</summary>
    Keyboard,

    /// <summary>No puzzle at all (screen-reader users): a larger proof of work, its own rate limit.</summary>
    Accessible,
}
