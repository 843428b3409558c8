using RedisRing.Captcha.Images;
using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Benchmarks;

/// <summary>Writes a few rendered challenges to a folder, to look at what the benchmarks time.</summary>
internal static class SampleImages
{
    public static void Write(string directory, int count)
    {
        Directory.CreateDirectory(directory);
        for (var i = 0; i < count; i++)
        {
            var theme = i % 2 == 0 ? "light" : "dark";
            foreach (var format in new[] { ImageFormat.Jpeg, ImageFormat.Webp, ImageFormat.Png })
            {
                var spec = new PuzzleSpec(320, 160, theme, 1, format, PieceX: 60 + (i * 37 % 200), PieceY: 10 + (i * 23 % 90));
                var puzzle = PuzzleRenderer.Render(spec, new Random(i));
                string Extension(string type) => type["image/".Length..];
                File.WriteAllBytes(Path.Combine(directory, $"challenge-{i}-{theme}-background.{Extension(puzzle.BackgroundType)}"), puzzle.Background);
                File.WriteAllBytes(Path.Combine(directory, $"challenge-{i}-{theme}-piece.{Extension(puzzle.PieceType)}"), puzzle.Piece);
            }
        }

        Console.WriteLine($"wrote {count} challenges (JPEG, WebP and PNG, background and piece) to {directory}");
    }
}
