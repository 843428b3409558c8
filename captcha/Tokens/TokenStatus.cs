namespace RedisRing.Captcha.Tokens;

/// <summary>Why a signed value was accepted or refused.</summary>
internal enum TokenStatus
{
    Valid,

    /// <summary>Not of the shape we issue, or of the other kind.</summary>
    Malformed,

    /// <summary>Signed with a key id that is neither the current nor the previous key.</summary>
    UnknownKey,

    /// <summary>The MAC does not match: forged or altered.</summary>
    BadSignature,

    /// <summary>Genuine, but past its expiry.</summary>
    Expired,
}
