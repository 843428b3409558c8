using RedisRing.Captcha.Images;
using RedisRing.Captcha.Settings;
using SkiaSharp;

namespace RedisRing.Captcha.Tests.Images;

public sealed class PuzzleRendererTests
{
    private static readonly PuzzleSpec Spec = new(320, 160, "light", 1, ImageFormat.Jpeg, PieceX: 150, PieceY: 60);

    [Theory]
    [InlineData("Jpeg", "image/jpeg", "image/png")]
    [InlineData("Png", "image/png", "image/png")]
    [InlineData("Webp", "image/webp", "image/webp")]
    public void Both_images_decode_at_the_requested_sizes(string format, string backgroundType, string pieceType)
    {
        var puzzle = PuzzleRenderer.Render(Spec with { Format = Enum.Parse<ImageFormat>(format) }, new Random(1));

        using var background = SKBitmap.Decode(puzzle.Background);
        using var piece = SKBitmap.Decode(puzzle.Piece);
        Assert.Equal((backgroundType, pieceType), (puzzle.BackgroundType, puzzle.PieceType));
        Assert.Equal((320, 160), (background.Width, background.Height));
        Assert.Equal((puzzle.PieceSize, puzzle.PieceSize), (piece.Width, piece.Height));
        Assert.Equal(PuzzleShape.SizeFor(160), puzzle.PieceSize);
    }

    [Fact]
    public void The_jpeg_background_is_the_lossless_one_within_a_few_levels()
    {
        // Same seed, same picture: only the encoder differs.
        var lossy = PuzzleRenderer.Render(Spec with { Format = ImageFormat.Jpeg }, new Random(8));
        var lossless = PuzzleRenderer.Render(Spec with { Format = ImageFormat.Png }, new Random(8));
        using var jpeg = SKBitmap.Decode(lossy.Background);
        using var png = SKBitmap.Decode(lossless.Background);

        var errors = jpeg.Pixels.Zip(png.Pixels).Select(pair => Math.Abs(Brightness(pair.First) - Brightness(pair.Second))).ToList();
        Assert.InRange(errors.Average(), 0, 6);
        Assert.True(errors.Count(e => e > 40) < errors.Count / 200, "no block is wrong as a whole");
    }

    [Fact]
    public void The_hole_is_darker_than_the_piece_so_no_clean_copy_is_served()
    {
        var puzzle = PuzzleRenderer.Render(Spec with { Decoys = 0 }, new Random(2));
        using var background = SKBitmap.Decode(puzzle.Background);
        using var piece = SKBitmap.Decode(puzzle.Piece);

        var (inPiece, inHole) = (0.0, 0.0);
        for (var y = 18; y < 30; y++)
        {
            for (var x = 18; x < 30; x++)
            {
                inPiece += Brightness(piece.GetPixel(x, y));
                inHole += Brightness(background.GetPixel(Spec.PieceX + x, Spec.PieceY + y));
            }
        }

        Assert.True(inHole < inPiece * 0.75, $"hole {inHole / 144:F0} should be darker than piece {inPiece / 144:F0}");
    }

    [Fact]
    public void No_piece_pixel_reappears_in_the_background_and_colours_are_not_a_palette()
    {
        var puzzle = PuzzleRenderer.Render(Spec with { Format = ImageFormat.Png }, new Random(3));
        using var background = SKBitmap.Decode(puzzle.Background);
        using var piece = SKBitmap.Decode(puzzle.Piece);

        var backgroundColours = background.Pixels.Select(c => (uint)c).ToHashSet();
        Assert.True(backgroundColours.Count > 1000, $"{backgroundColours.Count} distinct colours: noise, not a palette");
        var hits = 0;
        var opaque = 0;
        for (var y = 0; y < piece.Height; y++)
        {
            for (var x = 0; x < piece.Width; x++)
            {
                var colour = piece.GetPixel(x, y);
                if (colour.Alpha == 255)
                {
                    opaque++;
                    hits += background.GetPixel(Spec.PieceX + x, Spec.PieceY + y) == colour ? 1 : 0;
                }
            }
        }

        // The hole covers where the piece came from; a coincidental equal pixel is possible, a pattern is not.
        Assert.True(hits < opaque / 100, $"{hits} of {opaque} piece pixels equal the background's at the answer");
    }

    [Fact]
    public void Decoys_are_on_the_pieces_row_with_the_same_darkness_range()
    {
        var spec = Spec with { Decoys = 1, PieceX = 70, DecoyXs = [200], Format = ImageFormat.Png };
        var puzzle = PuzzleRenderer.Render(spec, new Random(4));
        using var background = SKBitmap.Decode(puzzle.Background);

        double Centre(int left)
        {
            var sum = 0.0;
            for (var y = 20; y < 28; y++)
            {
                for (var x = 20; x < 28; x++)
                {
                    sum += Brightness(background.GetPixel(left + x, spec.PieceY + y));
                }
            }

            return sum / 64;
        }

        double Around(int left) => Enumerable.Range(0, 48).Average(x => Brightness(background.GetPixel(left + x, spec.PieceY - 3)));

        Assert.True(Centre(70) < Around(70) * 0.75, "the real hole is dark");
        Assert.True(Centre(200) < Around(200) * 0.75, "the decoy is dark");
        Assert.InRange(Centre(200) / Centre(70), 0.6, 1.6);
    }

    [Fact]
    public void A_hole_near_the_image_border_is_clipped_instead_of_failing()
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

    [Fact]
    public void Hole_sets_are_spaced_on_the_range_of_answers_and_capped_at_what_fits()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var holes = GapPlacement.Choose(320, 48, 1 + random.Next(5), random.Next);
            Assert.All(holes, x => Assert.InRange(x, GapPlacement.MinX(48), GapPlacement.EndX(320, 48) - 1));
            Assert.All(holes.Zip(holes.Skip(1)), pair => Assert.True(pair.Second - pair.First >= 52));
        }

        Assert.Equal(GapPlacement.MaxOnRow(320, 48), GapPlacement.Choose(320, 48, 99, random.Next).Length);
    }

    private static double Brightness(SKColor c) => (c.Red + c.Green + c.Blue) / 3.0;
}
