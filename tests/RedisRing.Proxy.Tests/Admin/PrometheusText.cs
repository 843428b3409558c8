using System.Globalization;
using System.Text.RegularExpressions;

namespace RedisRing.Proxy.Tests.Admin;

/// <summary>
/// A strict reader of the Prometheus text exposition format (version 0.0.4) for the tests: every
/// line must be a HELP or TYPE comment or a sample whose metric was declared by a TYPE line
/// (histograms with their _bucket, _sum and _count), with well-formed labels and a number.
/// </summary>
internal static partial class PrometheusText
{
    [GeneratedRegex("""^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$""")]
    private static partial Regex Comment();

    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*")*)?\})? (\S+)( -?\d+)?$""")]
    private static partial Regex Sample();

    /// <summary>The samples by their full name with labels as written (<c>name{a="b"}</c>).</summary>
    /// <exception cref="FormatException">A line that is not valid; the message quotes it.</exception>
    public static Dictionary<string, double> Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var comment = Comment().Match(line);
                if (!comment.Success)
                {
                    throw new FormatException("bad comment line: " + line);
                }

                if (comment.Groups[1].Value == "TYPE")
                {
                    if (comment.Groups[3].Value is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                    {
                        throw new FormatException("bad type: " + line);
                    }

                    types[comment.Groups[2].Value] = comment.Groups[3].Value;
                }

                continue;
            }

            var sample = Sample().Match(line);
            if (!sample.Success)
            {
                throw new FormatException("bad sample line: " + line);
            }

            var name = sample.Groups[1].Value;
            var family = types.ContainsKey(name) ? name : Regex.Replace(name, "_(bucket|sum|count)$", "");
            if (!types.ContainsKey(family))
            {
                throw new FormatException("sample of an undeclared metric: " + line);
            }

            var value = sample.Groups[3].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var number => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            var key = name + sample.Groups[2].Value;
            if (!samples.TryAdd(key, value))
            {
                throw new FormatException("sample given twice: " + line);
            }
        }

        return samples;
    }
}
