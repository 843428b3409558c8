namespace RedisRing.Captcha.Settings;

/// <summary>The health of whichever settings cache the process uses.</summary>
internal interface ISiteSettingsStatus
{
    SettingsStatus GetStatus();
}
