using System.CommandLine;
using RedisRing.Membership;

namespace RedisRing.Ringctl.Cli;

/// <summary>Options naming nodes (<c>--node host:port</c>), parsed and checked as the membership does.</summary>
internal static class NodeArguments
{
    public static Option<string> Required(string description) => new("--node") { Description = description, Required = true };

    public static NodeAddress Parse(string option, string text) =>
        NodeAddress.TryParse(text, out var address, out var error) ? address : throw GlobalOptions.Usage($"{option}: {error}");

    public static Option<int> TimeoutSeconds(int defaultSeconds) => Range(new Option<int>("--timeout-s")
    {
        Description = "with --follow: how long to wait before giving up (exit 7)",
        DefaultValueFactory = _ => defaultSeconds,
    }, 1, 7 * 24 * 3600);

    /// <summary>An integer option whose every bad value (not a number, out of range) gets the one message "--name must be an integer in min..max".</summary>
    public static Option<int> Range(Option<int> option, int min, int max)
    {
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError($"{option.Name} must be an integer in {min}..{max}");
            return default;
        };
        return option;
    }
}
