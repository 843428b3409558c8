using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;

namespace RedisRing.Ringctl.Output;

/// <summary>
/// Where a command writes: tables and progress for people on <see cref="Console"/> (no colours or
/// cursor movement when the output is not a terminal, and wide enough that tables do not wrap in
/// a pipe), one JSON document on <see cref="Json"/> for scripts, messages on <see cref="Error"/>.
/// </summary>
internal sealed class CommandOutput
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public CommandOutput(TextWriter output, TextWriter error, bool json, bool interactive)
    {
        Out = output;
        Error = error;
        IsJson = json;
        Interactive = interactive && !json;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!Interactive)
        {
            Console.Profile.Width = 200;
        }
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public IAnsiConsole Console { get; }

    /// <summary>--json: one JSON document on standard output, nothing else there.</summary>
    public bool IsJson { get; }

    /// <summary>A terminal without --json: live progress bars instead of lines.</summary>
    public bool Interactive { get; }

    /// <summary>A line for people (never in JSON mode: it would break the document).</summary>
    public void Line(string text)
    {
        if (!IsJson)
        {
            Out.WriteLine(text);
        }
    }

    public void Warning(string text) => Error.WriteLine("ringctl: warning: " + text);

    public void Table(Table table)
    {
        if (!IsJson)
        {
            Console.Write(table);
        }
    }

    public void Json(object document) => Out.WriteLine(JsonSerializer.Serialize(document, s_json));

    /// <summary>A fraction as a percentage with two decimals, for tables.</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "%";

    /// <summary>A fraction rounded for JSON (six decimals: well below one key in a million).</summary>
    public static double Round(double fraction) => Math.Round(fraction, 6);
}
