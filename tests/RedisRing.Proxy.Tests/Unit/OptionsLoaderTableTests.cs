using System.Text.Json;
using System.Text.RegularExpressions;
using RedisRing.Proxy.Configuration;
using RedisRing.Testing;

namespace RedisRing.Proxy.Tests.Unit;

/// <summary>
/// The one table of settings is what the file, the command line, the usage text and the docs
/// describe, so none of them can list a setting the others lack.
/// </summary>
public sealed partial class OptionsLoaderTableTests
{
    private static readonly string s_docs = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "configuration.md"));

    public static TheoryData<string> Names => [.. ProxyOptionTable.All.Select(d => d.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_table_entry_appears_in_the_usage_text(string name)
    {
        var definition = ProxyOptionTable.ByName[name];
        var line = Assert.Single(OptionsLoader.Usage.Split('\n'), l => l.StartsWith($"  {definition.Flag} ", StringComparison.Ordinal));
        Assert.Contains(definition.Help, line, StringComparison.Ordinal);
        if (definition.Default is { } value)
        {
            Assert.Contains($"(default {value})", line, StringComparison.Ordinal);
        }

        if (definition.EnvironmentVariable is { } variable)
        {
            Assert.Contains($"(or env {variable})", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_setting_in_the_docs_is_in_the_table_with_the_same_flag_and_environment_variable()
    {
        var rows = DocumentedRows().ToList();
        Assert.NotEmpty(rows);
        foreach (var (name, flag, row) in rows)
        {
            Assert.True(ProxyOptionTable.ByName.TryGetValue(name, out var definition), $"docs/configuration.md documents '{name}', which the proxy does not know");
            Assert.Equal(definition.Flag, flag);
            var variable = EnvironmentVariable().Match(row);
            Assert.Equal(definition.EnvironmentVariable, variable.Success ? variable.Groups[1].Value : null);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_table_entry_is_documented(string name) =>
        Assert.Contains(DocumentedRows(), row => row.Name == name);

    [Fact]
    public void Every_name_in_the_documented_example_file_is_in_the_table()
    {
        var example = s_docs[(s_docs.IndexOf("```json", StringComparison.Ordinal) + 7)..];
        using var document = JsonDocument.Parse(example[..example.IndexOf("```", StringComparison.Ordinal)]);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            Assert.True(ProxyOptionTable.ByName.ContainsKey(property.Name), property.Name);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Giving_a_setting_its_documented_default_changes_nothing(string name)
    {
        var definition = ProxyOptionTable.ByName[name];
        if (definition.Default is not { } value)
        {
            return;
        }

        // The ZooKeeper group exists as soon as one of its settings is given; start with it so
        // the comparison is about the value alone.
        var defaults = new ProxyOptions() with { ZooKeeper = ProxyOptionParsers.ZooKeeperOf(new ProxyOptions()) };
        var applied = definition.Apply(defaults, definition.Flag, [value]);
        Assert.Equal(defaults, applied with { ExplicitSettings = defaults.ExplicitSettings });
    }

    [Fact]
    public void Flags_and_names_are_unique_only_text_settings_come_from_the_environment_and_every_secret_can()
    {
        Assert.Equal(ProxyOptionTable.All.Count, ProxyOptionTable.ByFlag.Count);
        Assert.Equal(ProxyOptionTable.All.Count, ProxyOptionTable.ByName.Count);
        Assert.All(ProxyOptionTable.All.Where(d => d.EnvironmentVariable is not null), d => Assert.Equal(ProxyOptionType.Text, d.Type));
        Assert.All(ProxyOptionTable.All.Where(d => d.Secret), d => Assert.NotNull(d.EnvironmentVariable));
    }

    /// <summary>The rows of the settings tables: <c>| `name` | `--flag ...` ... |</c>.</summary>
    private static IEnumerable<(string Name, string Flag, string Row)> DocumentedRows() =>
        s_docs.Split('\n').Select(line => SettingRow().Match(line)).Where(m => m.Success).Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Value));

    [GeneratedRegex(@"^\| `([A-Za-z]+)` \| `(--[a-z-]+)[^|]*\|.*$")]
    private static partial Regex SettingRow();

    [GeneratedRegex(@"env `(REDISRING_[A-Z_]+)`")]
    private static partial Regex EnvironmentVariable();
}
