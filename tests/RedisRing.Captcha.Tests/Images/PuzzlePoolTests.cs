using Microsoft.Extensions.Options;
using RedisRing.Captcha.Images;
using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Tests.Images;

public sealed class PuzzlePoolTests
{
    private static readonly PuzzleLook Look = new(320, 160, "light", 1, ImageFormat.Webp);

    [Fact]
    public void A_pre_rendered_challenge_is_handed_out_once_and_then_the_pool_renders_on_demand()
    {
        var pool = new PuzzlePool(Options.Create(new PuzzleOptions { PoolSize = 2 }));
        pool.Take(Look);
        Assert.True(pool.FillOne(Look));
        Assert.True(pool.FillOne(Look));
        Assert.False(pool.FillOne(Look));

        var taken = Enumerable.Range(0, 5).Select(_ => pool.Take(Look)).ToList();

        Assert.Equal(5, taken.Select(p => Convert.ToBase64String(p.Puzzle.ImagesJson)).Distinct().Count());
        Assert.True(pool.FillOne(Look));
    }

    [Fact]
    public void Secret_positions_leave_room_for_the_piece_and_vary()
    {
        var size = PuzzleShape.SizeFor(160);
        var pool = new PuzzlePool(Options.Create(new PuzzleOptions()));
        var positions = Enumerable.Range(0, 200).Select(_ => pool.Render(Look with { Decoys = 0, Format = ImageFormat.Png })).Select(p => (p.PieceX, p.PieceY)).ToList();

        Assert.All(positions, p => Assert.InRange(p.PieceX, size + 10, 320 - size - 4));
        Assert.All(positions, p => Assert.InRange(p.PieceY, 4, 160 - size - 4));
        Assert.True(positions.Select(p => p.PieceX).Distinct().Count() > 50);
    }
}
