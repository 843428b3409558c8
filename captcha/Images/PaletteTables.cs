namespace RedisRing.Captcha.Images;

/// <summary>
/// Index-to-index maps over <see cref="PuzzlePalette"/>'s layout, so that speckling or darkening
/// a pixel is one table lookup instead of arithmetic on its layer and step.
/// They depend only on the layout, not on a challenge's colours, so they are built once.
/// </summary>
internal static class PaletteTables
{
    private const int NoiseSteps = 4;

    /// <summary>A few steps further along the same ramp: one kind of speckle.</summary>
    public static readonly byte[] NoiseUp = Build(i => Layer(i) is { } layer ? PuzzlePalette.Lit(layer, Math.Min(Step(i) + NoiseSteps, PuzzlePalette.Steps - 1)) : (byte)i);

    /// <summary>A few steps back along the same ramp: the other kind of speckle.</summary>
    public static readonly byte[] NoiseDown = Build(i => Layer(i) is { } layer ? PuzzlePalette.Lit(layer, Math.Max(Step(i) - NoiseSteps, 0)) : (byte)i);

    /// <summary>The darkened copy of a lit entry (the notch); anything else stays as it is.</summary>
    public static readonly byte[] Darken = Build(i => PuzzlePalette.IsLit((byte)i) ? (byte)(i + PuzzlePalette.DarkOffset) : (byte)i);

    private static int? Layer(int index) => PuzzlePalette.IsLit((byte)index) ? (index - PuzzlePalette.FirstLit) / PuzzlePalette.Steps : null;

    private static int Step(int index) => (index - PuzzlePalette.FirstLit) % PuzzlePalette.Steps;

    private static byte[] Build(Func<int, byte> map)
    {
        var table = new byte[256];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = map(i);
        }

        return table;
    }
}
