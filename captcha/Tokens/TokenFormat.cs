using System.Buffers.Text;
using System.Globalization;
using System.Text;
using RedisRing.Captcha.Api;
using RedisRing.Captcha.Settings;
using RedisRing.Captcha.Verification;

namespace RedisRing.Captcha.Tokens;

/// <summary>
/// The text of a challenge id or pass token, no cryptography: <c>siteKey.payload.mac</c>, the
/// payload being base64url of eleven lines: format version, kind (<c>c</c> or <c>t</c>), key id,
/// random id, expiry (Unix s), issue time (Unix ms), hostname, action, client, cdata, and a pass's
/// input kind (<c>p</c>, <c>k</c> or <c>a</c>; empty for a challenge). Version 1, the same without
/// the input kind, is still read so that tokens issued just before an upgrade stay good. The site
/// key stays readable in front (siteverify's callers and logs of their own may want it). None of
/// the fields can hold a newline, so the lines are unambiguous. Everything here is public: the
/// client already knows all of it; the MAC makes it unforgeable.
/// </summary>
internal static class TokenFormat
{
    /// <summary>Longest text <see cref="TryDecode"/> looks at (a token with the longest hostname and cdata fits).</summary>
    public const int MaxLength = 2048;

    public const int MacBytes = 32;

    private const string Version = "2";
    private const int Fields = 11;
    private const string Version1 = "1";
    private const int Version1Fields = 10;

    /// <summary>What the MAC covers before the site key and the payload (then a newline after the site key).</summary>
    public static ReadOnlySpan<byte> SignedLabel => "redisring-captcha\n"u8;

    /// <summary>Longest payload <see cref="WritePayload"/> can write for these claims, in bytes.</summary>
    public static int MaxPayloadBytes(string keyId, TokenClaims claims) =>
        64 + keyId.Length + claims.Id.Length
        + Encoding.UTF8.GetMaxByteCount(claims.Hostname.Length + (claims.Action?.Length ?? 0) + claims.Client.Length + (claims.Cdata?.Length ?? 0));

    /// <summary>
    /// Writes the payload's lines (see the class summary) into <paramref name="destination"/>, at
    /// least <see cref="MaxPayloadBytes"/> long, and returns their length: no string is built on
    /// the way (this runs for every challenge and every pass).
    /// </summary>
    public static int WritePayload(string keyId, TokenClaims claims, Span<byte> destination)
    {
        var at = 0;
        at += Write("2\n"u8, destination[at..]); // Version
        at += Write(claims.Kind == TokenKind.Challenge ? "c\n"u8 : "t\n"u8, destination[at..]);
        at += WriteLine(keyId, destination[at..]);
        at += WriteLine(claims.Id, destination[at..]);
        at += WriteLine(claims.ExpiresAt, destination[at..]);
        at += WriteLine(claims.IssuedAtMs, destination[at..]);
        at += WriteLine(claims.Hostname, destination[at..]);
        at += WriteLine(claims.Action ?? string.Empty, destination[at..]);
        at += WriteLine(claims.Client, destination[at..]);
        at += WriteLine(claims.Cdata ?? string.Empty, destination[at..]);
        at += Encoding.UTF8.GetBytes(InputLetter(claims.Input), destination[at..]);
        return at;
    }

    /// <summary><c>siteKey.base64url(payload).base64url(mac)</c>, built in one string.</summary>
    public static string Encode(string siteKey, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> mac)
    {
        var payloadChars = Base64Url.GetEncodedLength(payload.Length);
        var length = siteKey.Length + 1 + payloadChars + 1 + Base64Url.GetEncodedLength(mac.Length);
        Span<char> text = length <= 2048 ? stackalloc char[length] : new char[length];
        siteKey.CopyTo(text);
        var at = siteKey.Length;
        text[at++] = '.';
        at += Base64Url.EncodeToChars(payload, text[at..]);
        text[at++] = '.';
        Base64Url.EncodeToChars(mac, text[at..]);
        return new string(text);
    }

    private static int Write(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        bytes.CopyTo(destination);
        return bytes.Length;
    }

    private static int WriteLine(string text, Span<byte> destination)
    {
        var written = Encoding.UTF8.GetBytes(text, destination);
        destination[written] = (byte)'\n';
        return written + 1;
    }

    private static int WriteLine(long number, Span<byte> destination)
    {
        Utf8Formatter.TryFormat(number, destination, out var written);
        destination[written] = (byte)'\n';
        return written + 1;
    }

    /// <summary>
    /// Splits and parses a token without checking its MAC (<see cref="TokenSigner"/> does that);
    /// false for anything not of the exact shape we issue.
    /// </summary>
    public static bool TryDecode(string text, out string keyId, out TokenClaims claims, out byte[] payload, out byte[] mac)
    {
        keyId = string.Empty;
        claims = null!;
        payload = [];
        mac = [];
        if (text.Length > MaxLength)
        {
            return false;
        }

        var parts = text.Split('.');
        if (parts.Length != 3 || !SiteSettingsValidator.IsValidSiteKey(parts[0]) || !Base64Url.IsValid(parts[1]) || !Base64Url.IsValid(parts[2]))
        {
            return false;
        }

        payload = Base64Url.DecodeFromChars(parts[1]);
        mac = Base64Url.DecodeFromChars(parts[2]);
        if (mac.Length != MacBytes)
        {
            return false;
        }

        string[] lines;
        try
        {
            lines = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload).Split('\n');
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var shapeOk = (lines[0] == Version && lines.Length == Fields) || (lines[0] == Version1 && lines.Length == Version1Fields);
        if (!shapeOk || lines[1] is not ("c" or "t") || !SigningKeys.IsValidId(lines[2]))
        {
            return false;
        }

        InputKind? input = null;
        if (lines.Length == Fields && !TryParseInputLetter(lines[10], out input))
        {
            return false;
        }

        var kind = lines[1] == "c" ? TokenKind.Challenge : TokenKind.Pass;
        var idOk = kind == TokenKind.Challenge ? Ids.IsWellFormed(lines[3], Ids.ChallengeIdBytes) : Ids.IsWellFormed(lines[3], Ids.TokenIdBytes);
        if (!idOk
            || !long.TryParse(lines[4], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || !long.TryParse(lines[5], NumberStyles.None, CultureInfo.InvariantCulture, out var issuedAtMs)
            || lines[6].Length > 253
            || (lines[7].Length > 0 && !ActionName.IsValid(lines[7]))
            || lines[8].Length is 0 or > 64
            || (lines[9].Length > 0 && !Cdata.IsValid(lines[9])))
        {
            return false;
        }

        keyId = lines[2];
        claims = new TokenClaims(kind, parts[0], lines[3], expiresAt, issuedAtMs, lines[6], NullIfEmpty(lines[7]), lines[8], NullIfEmpty(lines[9]), input);
        return true;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static string InputLetter(InputKind? input) => input switch
    {
        null => string.Empty,
        InputKind.Pointer => "p",
        InputKind.Keyboard => "k",
        _ => "a",
    };

    private static bool TryParseInputLetter(string letter, out InputKind? input)
    {
        input = letter switch
        {
            "p" => InputKind.Pointer,
            "k" => InputKind.Keyboard,
            "a" => InputKind.Accessible,
            _ => null,
        };
        return input is not null || letter.Length == 0;
    }
}
