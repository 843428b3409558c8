using Microsoft.Extensions.Options;
using RedisRing.Captcha.Images;
using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Tests.Images;

public sealed class PuzzleReuseTests
{
    private static readonly PuzzleLook Look = new(160, 80, "light", 0, ImageFormat.Png);

    [Fact]
    public void A_rendered_puzzle_is_issued_at_most_the_configured_number_of_times_always_with_its_one_position()
    {
        var pool = new PuzzlePool(Options.Create(new PuzzleOptions { PoolSize = 4, MaxServesPerImage = 3 }));
        pool.Take(Look);
        while (pool.FillOne(Look))
        {
        }

        var taken = Enumerable.Range(0, 60).Select(_ => pool.Take(Look)).ToList();

        var byImage = taken.GroupBy(p => p.Puzzle).ToList();
        Assert.All(byImage, g => Assert.InRange(g.Count(), 1, 3));
        Assert.All(byImage, g => Assert.Single(g.Select(p => (p.PieceX, p.PieceY)).Distinct()));
        Assert.True(byImage.Count >= 20, $"60 challenges need at least 20 images, got {byImage.Count}");
    }

    [Fact]
    public void Copies_of_one_image_are_spread_over_the_pool_rather_than_issued_in_a_row()
    {
        var pool = new PuzzlePool(Options.Create(new PuzzleOptions { PoolSize = 4, MaxServesPerImage = 2 }));
        pool.Take(Look);
        while (pool.FillOne(Look))
        {
        }

        var taken = Enumerable.Range(0, 4).Select(_ => pool.Take(Look).Puzzle).ToList();

        Assert.Equal(4, taken.Distinct().Count());
    }

    [Fact]
    public void By_default_every_challenge_gets_its_own_image()
    {
        var pool = new PuzzlePool(Options.Create(new PuzzleOptions { PoolSize = 4 }));
        pool.Take(Look);
        while (pool.FillOne(Look))
        {
        }

        var taken = Enumerable.Range(0, 12).Select(_ => pool.Take(Look).Puzzle).ToList();

        Assert.Equal(1, pool.MaxServesPerImage);
        Assert.Equal(12, taken.Distinct().Count());
    }
}
