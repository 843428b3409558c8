namespace RedisRing.Captcha.Verification;

/// <summary>How the piece was moved: a pointer drag (mouse, touch, pen) or arrow keys.</summary>
internal enum InputKind
{
    Pointer,
    Keyboard,
}
