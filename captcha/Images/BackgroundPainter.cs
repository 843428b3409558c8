using SkiaSharp;

namespace RedisRing.Captcha.Images;

/// <summary>
/// Paints a procedural background: a two-colour gradient, random shapes and speckle noise, so
/// that every challenge looks different and no stock image library can be matched against.
/// The randomness here is not secret (only the notch position is), so a fast PRNG is used.
/// </summary>
internal static class BackgroundPainter
{
    public static void Paint(SKCanvas canvas, int width, int height, string theme, Random random)
    {
        var dark = theme == "dark";
        var hue = (float)(random.NextDouble() * 360);
        var from = SKColor.FromHsl(hue, 55, dark ? 22 : 70);
        var to = SKColor.FromHsl((hue + 60 + (float)(random.NextDouble() * 120)) % 360, 60, dark ? 35 : 50);
        using (var gradient = new SKPaint())
        {
            gradient.Shader = SKShader.CreateLinearGradient(
                new SKPoint(0, (float)(random.NextDouble() * height)),
                new SKPoint(width, (float)(random.NextDouble() * height)),
                [from, to],
                SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, gradient);
        }

        using var paint = new SKPaint { IsAntialias = true };
        var shapes = 10 + random.Next(8);
        for (var i = 0; i < shapes; i++)
        {
            paint.Color = SKColor.FromHsl((float)(random.NextDouble() * 360), 50 + random.Next(40), dark ? 25 + random.Next(30) : 40 + random.Next(40)).WithAlpha((byte)(120 + random.Next(120)));
            var cx = (float)(random.NextDouble() * width);
            var cy = (float)(random.NextDouble() * height);
            var r = (float)(height * (0.08 + (random.NextDouble() * 0.3)));
            switch (random.Next(4))
            {
                case 0:
                    canvas.DrawCircle(cx, cy, r, paint);
                    break;
                case 1:
                    canvas.Save();
                    canvas.RotateDegrees((float)(random.NextDouble() * 90), cx, cy);
                    canvas.DrawRect(cx - r, cy - (r / 2), 2 * r, r, paint);
                    canvas.Restore();
                    break;
                case 2:
                    using (var triangle = new SKPath())
                    {
                        triangle.MoveTo(cx, cy - r);
                        triangle.LineTo(cx + r, cy + r);
                        triangle.LineTo(cx - r, cy + (r * 0.7f));
                        triangle.Close();
                        canvas.DrawPath(triangle, paint);
                    }

                    break;
                default:
                    paint.StrokeWidth = 2 + random.Next(6);
                    canvas.DrawLine(cx - r, cy - r, cx + r + random.Next(width / 3), cy + r - random.Next(height / 2), paint);
                    paint.StrokeWidth = 0;
                    break;
            }
        }

        // Speckle noise defeats edge detection that relies on smooth areas around the notch.
        var points = new SKPoint[width * height / 60];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = new SKPoint((float)(random.NextDouble() * width), (float)(random.NextDouble() * height));
        }

        paint.IsAntialias = false;
        paint.StrokeWidth = 1.5f;
        paint.Color = (dark ? SKColors.White : SKColors.Black).WithAlpha(45);
        canvas.DrawPoints(SKPointMode.Points, points.AsSpan(0, points.Length / 2).ToArray(), paint);
        paint.Color = (dark ? SKColors.Black : SKColors.White).WithAlpha(60);
        canvas.DrawPoints(SKPointMode.Points, points.AsSpan(points.Length / 2).ToArray(), paint);
    }
}
