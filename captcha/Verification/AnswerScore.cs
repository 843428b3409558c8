namespace RedisRing.Captcha.Verification;

/// <summary>
/// The score siteverify reports with a pass, 0.0 to 1.0: how much evidence of a person the checks
/// that passed are worth, by input kind. It is a fixed ranking, not a probability: a pointer drag
/// passed the motion checks and the position (the most a slider can show), a keyboard answer
/// passed the weaker key-timing checks plus a small proof of work, an accessible answer only
/// paid a proof of work, which a bot pays too. Sites decide what each is good enough for
/// (docs/captcha.md).
/// </summary>
internal static class AnswerScore
{
    public const double Pointer = 0.9;

    public const double Keyboard = 0.5;

    public const double Accessible = 0.3;

    public static double Of(InputKind kind) => kind switch
    {
        InputKind.Pointer => Pointer,
        InputKind.Keyboard => Keyboard,
        _ => Accessible,
    };
}
