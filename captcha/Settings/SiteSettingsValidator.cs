using RedisRing.Captcha.Verification;

namespace RedisRing.Captcha.Settings;

/// <summary>Turns a stored document into settings, or says why it cannot.</summary>
internal static class SiteSettingsValidator
{
    /// <summary>Site keys travel in tokens ("siteKey.random"), so they are restricted to URL-safe characters without dots.</summary>
    public static bool IsValidSiteKey(string? siteKey) =>
        siteKey is { Length: > 0 and <= 64 } && siteKey.AsSpan().IndexOfAnyExcept(SiteKeyCharacters) < 0;

    private static readonly System.Buffers.SearchValues<char> SiteKeyCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    public static bool TryCreate(SiteSettingsDocument document, out SiteSettings? settings, out string? error)
    {
        settings = null;
        error = Validate(document);
        if (error is not null)
        {
            return false;
        }

        var defaults = new SiteSettings { SiteKey = document.SiteKey!, SecretHash = Convert.FromHexString(document.SecretSha256!) };
        settings = defaults with
        {
            AllowedHostnames = (document.AllowedHostnames ?? []).Select(h => h.Trim().ToLowerInvariant()).ToArray(),
            Tolerance = document.Tolerance ?? defaults.Tolerance,
            Decoys = document.Decoys ?? defaults.Decoys,
            ImageWidth = document.ImageWidth ?? defaults.ImageWidth,
            ImageHeight = document.ImageHeight ?? defaults.ImageHeight,
            Theme = document.Theme ?? defaults.Theme,
            ImageFormat = document.ImageFormat is null ? defaults.ImageFormat : Enum.Parse<ImageFormat>(document.ImageFormat, ignoreCase: true),
            ChallengeTtlSeconds = document.ChallengeTtlSeconds ?? defaults.ChallengeTtlSeconds,
            TokenTtlSeconds = document.TokenTtlSeconds ?? defaults.TokenTtlSeconds,
            MinSolveMilliseconds = document.MinSolveMilliseconds ?? defaults.MinSolveMilliseconds,
            AllowKeyboard = document.AllowKeyboard ?? defaults.AllowKeyboard,
            KeyboardPowBits = document.KeyboardPowBits ?? defaults.KeyboardPowBits,
            AllowAccessible = document.AllowAccessible ?? defaults.AllowAccessible,
            AccessiblePowBits = document.AccessiblePowBits ?? defaults.AccessiblePowBits,
            RateLimits = new RateLimitSettings
            {
                ChallengesPerIpPerMinute = document.ChallengesPerIpPerMinute ?? defaults.RateLimits.ChallengesPerIpPerMinute,
                ChallengesPerSitePerMinute = document.ChallengesPerSitePerMinute ?? defaults.RateLimits.ChallengesPerSitePerMinute,
                FailuresPerIpPerHour = document.FailuresPerIpPerHour ?? defaults.RateLimits.FailuresPerIpPerHour,
                AccessibleAnswersPerIpPerHour = document.AccessibleAnswersPerIpPerHour ?? defaults.RateLimits.AccessibleAnswersPerIpPerHour,
            },
            FailOpen = document.FailOpen ?? false,
        };
        return true;
    }

    private static string? Validate(SiteSettingsDocument d)
    {
        if (!IsValidSiteKey(d.SiteKey))
        {
            return "siteKey must be 1-64 characters of [A-Za-z0-9_-]";
        }

        if (d.SecretSha256 is not { Length: 64 } || !IsHex(d.SecretSha256))
        {
            return "secretSha256 must be 64 hex digits";
        }

        if (d.Tolerance is { } t && (t is <= 0 or > 0.2 || double.IsNaN(t)))
        {
            return "tolerance must be in (0, 0.2]";
        }

        if (d.Decoys is < 0 or > 4)
        {
            return "decoys must be 0-4";
        }

        if (d.ImageWidth is < 200 or > 1000 || d.ImageHeight is < 100 or > 600)
        {
            return "imageWidth must be 200-1000 and imageHeight 100-600";
        }

        if (d.Theme is not (null or "light" or "dark"))
        {
            return "theme must be light or dark";
        }

        if (d.ImageFormat is not null && !Enum.TryParse<ImageFormat>(d.ImageFormat, ignoreCase: true, out _))
        {
            return "imageFormat must be jpeg, webp or png";
        }

        if (d.ChallengeTtlSeconds is < 1 or > 3600 || d.TokenTtlSeconds is < 1 or > 3600)
        {
            return "challengeTtlSeconds and tokenTtlSeconds must be 1-3600";
        }

        if (d.MinSolveMilliseconds is < 0 or > 60_000)
        {
            return "minSolveMilliseconds must be 0-60000";
        }

        if (d.KeyboardPowBits is < 0 or > ProofOfWork.MaxBits || d.AccessiblePowBits is < 8 or > ProofOfWork.MaxBits)
        {
            return $"keyboardPowBits must be 0-{ProofOfWork.MaxBits} and accessiblePowBits 8-{ProofOfWork.MaxBits}";
        }

        if (d.ChallengesPerIpPerMinute is < 1 || d.ChallengesPerSitePerMinute is < 1 || d.FailuresPerIpPerHour is < 1 || d.AccessibleAnswersPerIpPerHour is < 1)
        {
            return "rate limits must be positive";
        }

        if (d.AllowedHostnames?.Any(string.IsNullOrWhiteSpace) == true)
        {
            return "allowedHostnames must not contain empty names";
        }

        return null;
    }

    private static bool IsHex(string s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
