namespace RedisRing.Captcha.Verification;

/// <summary>The input kinds as the API spells them, in verify requests, tokens and siteverify answers.</summary>
internal static class InputKindNames
{
    public const string Pointer = "pointer";
    public const string Keyboard = "keyboard";
    public const string Accessible = "accessible";

    public static string Of(InputKind kind) => kind switch
    {
        InputKind.Pointer => Pointer,
        InputKind.Keyboard => Keyboard,
        _ => Accessible,
    };

    /// <summary>Null (absent) means pointer, as before keyboard and accessible answers existed.</summary>
    public static bool TryParse(string? name, out InputKind kind)
    {
        kind = name switch
        {
            null or Pointer => InputKind.Pointer,
            Keyboard => InputKind.Keyboard,
            Accessible => InputKind.Accessible,
            _ => (InputKind)(-1),
        };
        return Enum.IsDefined(kind);
    }
}
