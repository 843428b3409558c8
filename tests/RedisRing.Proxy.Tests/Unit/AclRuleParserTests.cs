using System.Security.Cryptography;
using System.Text;
using RedisRing.Proxy.Acl;
using RedisRing.Proxy.Commands;

namespace RedisRing.Proxy.Tests.Unit;

/// <summary>Users in ACL SETUSER syntax: rules in order, categories from Redis's command table, hashed passwords only.</summary>
public sealed class AclRuleParserTests
{
    private static string Hash(string password) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));

    private static AclUser Parse(string definition) =>
        AclRuleParser.TryParse(definition, out var error) ?? throw new InvalidOperationException(error);

    [Fact]
    public void A_read_only_user_may_run_read_commands_and_not_write_or_dangerous_ones()
    {
        var user = Parse($"reader on #{Hash("pw")} ~* +@read");
        Assert.True(user.CanRun(CommandTable.All["GET"]));
        Assert.True(user.CanRun(CommandTable.All["HGETALL"]));
        Assert.False(user.CanRun(CommandTable.All["SET"]));
        Assert.False(user.CanRun(CommandTable.All["DEL"]));
        Assert.False(user.CanRun(CommandTable.All["FLUSHALL"]));
        Assert.True(user.CanRun(CommandTable.All["AUTH"]));
        Assert.True(user.Accepts("pw"u8));
        Assert.False(user.Accepts("pw2"u8));
    }

    [Fact]
    public void Rules_apply_left_to_right_and_a_container_command_covers_its_subcommands()
    {
        var user = Parse("ops on nopass allkeys +@all -@dangerous +client -client|kill");
        Assert.True(user.CanRun(CommandTable.All["SET"]));
        Assert.False(user.CanRun(CommandTable.All["KEYS"]));
        Assert.True(user.CanRun(CommandTable.All["CLIENT|LIST"]));
        Assert.False(user.CanRun(CommandTable.All["CLIENT|KILL"]));
        Assert.True(user.Accepts("anything"u8));
        Assert.False(Parse("ops2 on nopass +@all reset").Enabled);
    }

    [Fact]
    public void Key_patterns_match_whole_keys_with_star_and_question_mark()
    {
        var user = Parse("app1 on nopass ~app1:* ~cfg:? +@all");
        Assert.True(user.CanAccessKey("app1:x"u8));
        Assert.True(user.CanAccessKey("cfg:a"u8));
        Assert.False(user.CanAccessKey("cfg:ab"u8));
        Assert.False(user.CanAccessKey("app2:x"u8));
        Assert.False(Parse("nokeys on nopass +@all").CanAccessKey("a"u8));
        Assert.True(Parse("all on nopass +@all allkeys allchannels").IsUnrestricted);
        // Channels are checked too: a user without them is not spared the checks.
        Assert.False(Parse("keys on nopass +@all allkeys").IsUnrestricted);
    }

    [Fact]
    public void An_off_user_accepts_no_password()
    {
        Assert.False(Parse($"gone off #{Hash("pw")} +@all").Accepts("pw"u8));
    }

    [Theory]
    [InlineData("u on >plain", "passwords are given hashed")]
    [InlineData("u on #abc", "64 hexadecimal digits")]
    [InlineData("u on +@nosuchcategory", "unknown command category '@nosuchcategory'")]
    [InlineData("u on +nosuchcommand", "unknown command 'nosuchcommand'")]
    [InlineData("u on %R~app:*", "not supported")]
    [InlineData("u on sideways", "unknown rule 'sideways'")]
    [InlineData("", "a user needs a name")]
    public void A_bad_rule_is_refused_with_a_message_that_names_the_problem_and_not_the_secret(string definition, string message)
    {
        Assert.Null(AclRuleParser.TryParse(definition, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("plain", error, StringComparison.Ordinal);
        Assert.DoesNotContain("#abc", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_user_takes_the_password_is_open_without_one_and_off_when_only_named_users_are_given()
    {
        var withPassword = new AclUsers("secret", []);
        Assert.False(withPassword.StartsAuthenticated);
        Assert.True(withPassword.Default.Accepts("secret"u8));
        Assert.True(withPassword.Default.IsUnrestricted);

        Assert.True(new AclUsers(null, []).StartsAuthenticated);

        var namedOnly = new AclUsers(null, [Parse("app on nopass +@all ~*")]);
        Assert.False(namedOnly.StartsAuthenticated);
        Assert.False(namedOnly.Default.Accepts(""u8));
        Assert.NotNull(namedOnly.Find("app"));
    }
}
