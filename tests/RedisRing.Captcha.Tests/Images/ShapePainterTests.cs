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
}
