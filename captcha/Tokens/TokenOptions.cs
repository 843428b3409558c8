namespace RedisRing.Captcha.Tokens;

/// <summary>
/// The "Tokens" configuration section: the keys that sign challenge ids and pass tokens, and
/// whether a token is bound to the client it was issued to. Keys are base64 (at least 32
/// bytes); set them in the environment (<c>Tokens__CurrentKey</c>) rather than on the command
/// line, where every local user can read them.
/// </summary>
internal sealed class TokenOptions
{
    /// <summary>The key that signs, and verifies.</summary>
    public string? CurrentKey { get; set; }

    /// <summary>1-16 of <c>[A-Za-z0-9_-]</c>, written into every token the key signs.</summary>
    public string CurrentKeyId { get; set; } = "k1";

    /// <summary>
    /// The key before the last rotation: verifies, never signs, so tokens and challenges issued
    /// just before a rotation stay good until they expire. Empty when there is none.
    /// </summary>
    public string? PreviousKey { get; set; }

    public string PreviousKeyId { get; set; } = "k0";

    /// <summary>
    /// When true, an answer to a challenge is refused unless it comes from the client (address
    /// group) the challenge was issued to.
    /// </summary>
    public bool BindClientIp { get; set; }
}
