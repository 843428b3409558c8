using RedisRing.Captcha.Images;

namespace RedisRing.Captcha.Tests.Images;

public sealed class ShapePainterTests
{
    [Fact]
    public void Skia_writes_exact_layer_numbers_never_blends_of_them()
    {
        ShapePainter.Paint(320, 160, new Random(10));
        var layers = ShapePainter.Paint(320, 160, new Random(11)).ToArray();

        var counts = layers.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(counts.Keys, layer => Assert.InRange(layer, 0, PuzzlePalette.Layers - 1));
        Assert.True(counts.GetValueOrDefault((byte)0) > 0, "some of the background shows between shapes (the map is cleared between paints)");
        Assert.True(counts.Where(c => c.Key != 0).Sum(c => c.Value) > 320 * 160 / 20, "10-17 shapes cover a good part of the image");
    }

    [Fact]
    public void The_same_seed_paints_the_same_map_whatever_the_thread_painted_before()
    {
        var first = ShapePainter.Paint(200, 100, new Random(12)).ToArray();
        ShapePainter.Paint(320, 160, new Random(13));
        ShapePainter.Paint(200, 100, new Random(14));

        Assert.Equal(first, ShapePainter.Paint(200, 100, new Random(12)).ToArray());
    }

    [Fact]
    public void The_outline_mask_and_its_quarter_turns_cover_the_same_area()
    {
        var masks = Enumerable.Range(0, 4).Select(turns => PuzzleMask.For(48, turns)).ToList();
        int Covered(PuzzleMask mask) => Enumerable.Range(0, 48 * 48).Count(i => mask[i % 48, i / 48] != PuzzleMask.Outside);

        var area = Covered(masks[0]);
        Assert.InRange(area, 48 * 48 / 2, 48 * 48 - 1);
        Assert.All(masks, mask => Assert.InRange(Covered(mask), area - 4, area + 4));
        // The tab on top of the unturned outline is on the right after one clockwise turn.
        Assert.NotEqual(PuzzleMask.Outside, masks[0][24, 2]);
        Assert.NotEqual(PuzzleMask.Outside, masks[1][45, 24]);
        Assert.Equal(PuzzleMask.Outside, masks[1][24, 2]);
    }
}
