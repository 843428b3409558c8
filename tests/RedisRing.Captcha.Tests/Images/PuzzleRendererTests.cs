using RedisRing.Captcha.Images;
using RedisRing.Captcha.Settings;
using SkiaSharp;

namespace RedisRing.Captcha.Tests.Images;

public sealed class PuzzleRendererTests
{
    private static readonly PuzzleSpec Spec = new(320, 160, "light", 1, ImageFormat.Png, PieceX: 150, PieceY: 60);

    [Theory]
    [InlineData("Png", "image/png")]
    [InlineData("Webp", "image/webp")]
    public void Both_images_decode_at_the_requested_sizes(string format, string contentType)
    {
        var puzzle = PuzzleRenderer.Render(Spec with { Format = Enum.Parse<ImageFormat>(format) }, new Random(1));

        using var background = SKBitmap.Decode(puzzle.Background);
        using var piece = SKBitmap.Decode(puzzle.Piece);
        Assert.Equal(contentType, puzzle.ContentType);
        Assert.Equal((320, 160), (background.Width, background.Height));
        Assert.Equal((puzzle.PieceSize, puzzle.PieceSize), (piece.Width, piece.Height));
        Assert.Equal(PuzzleShape.SizeFor(160), puzzle.PieceSize);
    }

    [Fact]
    public void The_background_is_darkened_where_the_piece_was_cut_so_no_clean_copy_is_served()
    {
        var puzzle = PuzzleRenderer.Render(Spec with { Decoys = 0 }, new Random(2));
        using var background = SKBitmap.Decode(puzzle.Background);
        using var piece = SKBitmap.Decode(puzzle.Piece);

        // The middle of the piece's body versus the same spot of the background.
        var centre = puzzle.PieceSize / 2;
        var inPiece = piece.GetPixel(centre, centre + 4);
        var inNotch = background.GetPixel(Spec.PieceX + centre, Spec.PieceY + centre + 4);

        Assert.True(Brightness(inNotch) < Brightness(inPiece) * 0.8, $"notch {inNotch} should be darker than piece {inPiece}");
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public void Inside_the_notch_every_pixel_is_the_piece_pixel_darkened(string theme)
    {
        var spec = Spec with { Theme = theme };
        var puzzle = PuzzleRenderer.Render(spec, new Random(theme.Length));
        using var background = SKBitmap.Decode(puzzle.Background);
        using var piece = SKBitmap.Decode(puzzle.Piece);
        var outline = PuzzleMask.For(puzzle.PieceSize, quarterTurns: 0);

        var inside = 0;
        for (var y = 0; y < puzzle.PieceSize; y++)
        {
            for (var x = 0; x < puzzle.PieceSize; x++)
            {
                if (outline[x, y] == PuzzleMask.Inside)
                {
                    inside++;
                    var (lit, dark) = (piece.GetPixel(x, y), background.GetPixel(spec.PieceX + x, spec.PieceY + y));
                    Assert.Equal(255, lit.Alpha);
                    Assert.InRange(dark.Red, (lit.Red * 135 / 255) - 1, (lit.Red * 135 / 255) + 1);
                    Assert.InRange(dark.Green, (lit.Green * 135 / 255) - 1, (lit.Green * 135 / 255) + 1);
                    Assert.InRange(dark.Blue, (lit.Blue * 135 / 255) - 1, (lit.Blue * 135 / 255) + 1);
                }
            }
        }

        // Most of the 48x48 box is the body; edge and shadow bands take the rest.
        Assert.InRange(inside, 900, 2304);
    }

    [Fact]
    public void A_notch_near_the_image_border_is_clipped_instead_of_failing()
    {
        var puzzle = PuzzleRenderer.Render(Spec with { PieceX = 300, PieceY = 150 }, new Random(6));

        using var background = SKBitmap.Decode(puzzle.Background);
        Assert.Equal((320, 160), (background.Width, background.Height));
    }

    [Fact]
    public void The_piece_is_transparent_outside_its_outline()
    {
        var puzzle = PuzzleRenderer.Render(Spec, new Random(3));
        using var piece = SKBitmap.Decode(puzzle.Piece);

        Assert.Equal(0, piece.GetPixel(1, piece.Height - 2).Alpha);
        Assert.Equal(0, piece.GetPixel(1, 1).Alpha);
        Assert.Equal(255, piece.GetPixel(piece.Width / 2, piece.Height / 2).Alpha);
    }

    [Fact]
    public void Two_challenges_get_different_backgrounds()
    {
        var first = PuzzleRenderer.Render(Spec, new Random(4));
        var second = PuzzleRenderer.Render(Spec, new Random(5));

        Assert.NotEqual(first.Background, second.Background);
    }

    private static double Brightness(SKColor c) => (c.Red + c.Green + c.Blue) / 3.0;
}
