using RedisRing.Captcha.Images;

namespace RedisRing.Captcha.Tests.Images;

public sealed class PieceCoverageTests
{
    [Fact]
    public void The_outline_is_anti_aliased_with_a_top_tab_and_a_shadow_band_at_the_top_left()
    {
        var coverage = PieceCoverage.For(48);
        byte At(byte[] map, int x, int y) => map[(y * 48) + x];

        Assert.InRange(coverage.Body.Count(c => c == 255), 48 * 48 / 3, 48 * 48 - 1);
        Assert.True(coverage.Body.Count(c => c is > 0 and < 255) > 40, "edge pixels get fractional coverage");
        Assert.Equal(255, At(coverage.Body, 24, 24));
        Assert.NotEqual(0, At(coverage.Body, 24, 2)); // the tab on top
        Assert.Equal(0, At(coverage.Body, 1, 46));
        Assert.True(At(coverage.Shadow, 8, 24) > 0, "the shadow runs along the left edge");
        Assert.Equal(0, At(coverage.Shadow, 30, 30));
        Assert.True(At(coverage.Rim, 6, 24) > 0, "the rim follows the left edge");
        Assert.Equal(0, At(coverage.Rim, 24, 24));
    }
}
