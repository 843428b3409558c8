using System.Buffers;
using System.Security.Cryptography;
using RedisRing.Captcha.Hosting;

namespace RedisRing.Captcha.Tokens;

/// <summary>
/// The keys in use: the current one signs and verifies, the previous one (after a rotation) only
/// verifies. Rotating is: previous := current, current := a new key, on every process; a token
/// whose key id is neither is refused.
/// </summary>
internal sealed class SigningKeys
{
    public const int MinSecretBytes = 32;

    /// <summary>The id of a key made up at start-up because none was configured.</summary>
    public const string EphemeralKeyId = "ephemeral";

    private static readonly SearchValues<char> IdCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    public SigningKeys(SigningKey current, SigningKey? previous = null, bool isEphemeral = false)
    {
        if (previous is not null && previous.Id == current.Id)
        {
            throw new ConfigurationException($"Tokens:PreviousKeyId must differ from Tokens:CurrentKeyId ('{current.Id}').");
        }

        Current = current;
        Previous = previous;
        IsEphemeral = isEphemeral;
    }

    public SigningKey Current { get; }

    public SigningKey? Previous { get; }

    /// <summary>True when the key was generated at start-up: tokens die with the process and no other instance accepts them.</summary>
    public bool IsEphemeral { get; }

    public bool TryFind(ReadOnlySpan<char> id, out SigningKey key)
    {
        if (id.SequenceEqual(Current.Id))
        {
            key = Current;
            return true;
        }

        if (Previous is not null && id.SequenceEqual(Previous.Id))
        {
            key = Previous;
            return true;
        }

        key = null!;
        return false;
    }

    public static bool IsValidId(ReadOnlySpan<char> id) => id.Length is > 0 and <= 16 && id.IndexOfAnyExcept(IdCharacters) < 0;

    /// <summary>
    /// The configured keys. Without a current key: a fresh random one when
    /// <paramref name="allowEphemeral"/> (development and demo mode), else a
    /// <see cref="ConfigurationException"/> saying what to set.
    /// </summary>
    public static SigningKeys FromOptions(TokenOptions options, bool allowEphemeral)
    {
        if (string.IsNullOrWhiteSpace(options.CurrentKey))
        {
            return allowEphemeral
                ? new SigningKeys(new SigningKey(EphemeralKeyId, NewSecret()), isEphemeral: true)
                : throw new ConfigurationException(
                    "No token signing key. Set Tokens:CurrentKey to a random base64 key of at least 32 bytes (openssl rand -base64 32) "
                    + "and Tokens:CurrentKeyId to its name, preferably in the environment (Tokens__CurrentKey, Tokens__CurrentKeyId); "
                    + "every instance of the service needs the same keys. Only development and demo mode (Demo:Enabled) make up a throwaway key.");
        }

        var current = Parse("Tokens:CurrentKey", options.CurrentKeyId, options.CurrentKey);
        var previous = string.IsNullOrWhiteSpace(options.PreviousKey) ? null : Parse("Tokens:PreviousKey", options.PreviousKeyId, options.PreviousKey);
        return new SigningKeys(current, previous);
    }

    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(MinSecretBytes);

    private static SigningKey Parse(string name, string id, string base64)
    {
        if (!IsValidId(id))
        {
            throw new ConfigurationException($"{name}Id must be 1-16 characters of [A-Za-z0-9_-].");
        }

        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            // The key itself is never part of a message: messages end up in logs.
            throw new ConfigurationException($"{name} is not base64.");
        }

        return secret.Length >= MinSecretBytes
            ? new SigningKey(id, secret)
            : throw new ConfigurationException($"{name} must be at least {MinSecretBytes} bytes (it is {secret.Length}).");
    }
}
