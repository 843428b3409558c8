using RedisRing.Captcha.Demo;

namespace RedisRing.Captcha.Tokens;

/// <summary>
/// Where the signing keys come from at start-up: the "Tokens" section, or, in development and
/// demo mode only, a throwaway key (so that the README's one-line local run works), announced
/// with a loud warning. A supervisor makes the throwaway key once and hands it to its workers in
/// their environment, since a challenge issued by one worker is answered at any other.
/// </summary>
internal static partial class SigningKeysSetup
{
    /// <summary>Environment variables a supervisor sets for its workers so that they share its throwaway key.</summary>
    public const string CurrentKeyVariable = "Tokens__CurrentKey";
    public const string CurrentKeyIdVariable = "Tokens__CurrentKeyId";

    public static TokenOptions OptionsFrom(IConfiguration configuration) =>
        configuration.GetSection("Tokens").Get<TokenOptions>() ?? new TokenOptions();

    /// <summary>A made-up key is only acceptable where nothing real is protected: Development, or with the demo site on.</summary>
    public static bool AllowsEphemeralKey(IConfiguration configuration, IHostEnvironment environment) =>
        environment.IsDevelopment() || (configuration.GetSection("Demo").Get<DemoOptions>() ?? new DemoOptions()).Enabled;

    public static SigningKeys Resolve(IConfiguration configuration, IHostEnvironment environment) =>
        SigningKeys.FromOptions(OptionsFrom(configuration), AllowsEphemeralKey(configuration, environment));

    [LoggerMessage(Level = LogLevel.Warning, Message = "NO TOKEN SIGNING KEY IS CONFIGURED: signing with a throwaway key made up at start-up (development or demo mode). "
        + "Tokens die with this process and no other instance accepts them. Set Tokens:CurrentKey (and Tokens:CurrentKeyId) before serving real sites, and set Demo:Enabled=false.")]
    public static partial void LogEphemeralKey(ILogger logger);
}
