namespace RedisRing.Captcha.Settings;

/// <summary>Where a process keeps the site settings it serves.</summary>
internal enum SettingsCacheMode
{
    /// <summary>A private copy, loaded by this process from the source.</summary>
    InProcess,

    /// <summary>The host-wide memory-mapped cache, loaded by whichever process holds the loader lock.</summary>
    Shared,
}
