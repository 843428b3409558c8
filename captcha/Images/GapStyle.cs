namespace RedisRing.Captcha.Images;

/// <summary>
/// How one challenge draws its holes and piece, all jittered per challenge (and the darkness per
/// hole) so that no edge, shadow or fill colour is a constant a bot could look for. The fill does
/// not depend on the picture under a hole: every hole, the real one and the decoys, is drawn
/// from the same distribution, so the inside of a hole says nothing about which one is real.
/// </summary>
internal readonly record struct GapStyle(
    (byte R, byte G, byte B) RimColour,
    float RimOpacity,
    float ShadowOpacity,
    float MinDarkness,
    float MaxDarkness,
    float PieceGain,
    int PieceOffset)
{
    public static GapStyle Create(Random random)
    {
        // A light rim, tinted a little towards a random colour.
        var grey = 205 + random.Next(45);
        byte Tint() => (byte)Math.Clamp(grey + random.Next(-14, 15), 0, 255);
        var darkness = 0.35f + (random.NextSingle() * 0.15f);
        return new GapStyle(
            (Tint(), Tint(), Tint()),
            RimOpacity: 0.55f + (random.NextSingle() * 0.35f),
            ShadowOpacity: 0.3f + (random.NextSingle() * 0.4f),
            MinDarkness: darkness,
            MaxDarkness: darkness + 0.12f,
            // The piece is re-lit a little so its colours never equal the picture around the hole.
            PieceGain: 0.94f + (random.NextSingle() * 0.12f),
            PieceOffset: random.Next(-6, 7));
    }
}
