namespace RedisRing.Captcha.Demo;

/// <summary>
/// The "Demo" configuration section. The demo site's secret is public on purpose (it is in the
/// embedded settings and the docs); a real site keeps its secret out of source.
/// </summary>
internal sealed class DemoOptions
{
    public bool Enabled { get; set; } = true;

    public string SiteKey { get; set; } = "demo-site";

    public string Secret { get; set; } = "demo-secret-public-do-not-reuse";

    /// <summary>Where the demo backend calls siteverify; by default this service's own address.</summary>
    public string? SiteVerifyUrl { get; set; }
}
