using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Tests.Settings;

public sealed class SiteSettingsRefresherTests
{
    [Fact]
    public async Task The_embedded_default_settings_hold_the_demo_site_with_its_documented_secret()
    {
        var cache = new CachedSiteSettingsProvider();
        await Refresher(new JsonSiteSettingsSource(null), cache).RefreshAsync(CancellationToken.None);

        Assert.True(cache.TryGet("demo-site", out var demo));
        Assert.True(SecretHash.Matches("demo-secret-public-do-not-reuse", demo.SecretHash));
        Assert.Contains("127.0.0.1", demo.AllowedHostnames);
    }

    [Fact]
    public async Task Sites_arriving_in_several_batches_are_all_loaded_and_invalid_ones_skipped()
    {
        var source = new ListSource([Document("a"), Document("b"), new SiteSettingsDocument { SiteKey = "broken" }, Document("c"), Document("d")]);
        var cache = new CachedSiteSettingsProvider();

        await Refresher(source, cache, batchSize: 2).RefreshAsync(CancellationToken.None);

        Assert.Equal(3, source.BatchesRead);
        Assert.Equal(4, cache.Count);
        Assert.False(cache.TryGet("broken", out _));
    }

    [Fact]
    public async Task A_failed_refresh_keeps_the_last_good_settings()
    {
        var source = new ListSource([Document("a")]);
        var cache = new CachedSiteSettingsProvider();
        var refresher = Refresher(source, cache);
        await refresher.RefreshAsync(CancellationToken.None);

        source.FailNext = true;
        await refresher.RefreshAsync(CancellationToken.None);

        Assert.True(cache.TryGet("a", out _));
    }

    [Fact]
    public async Task A_refresh_replaces_the_whole_set_so_removed_sites_disappear()
    {
        var source = new ListSource([Document("a"), Document("b")]);
        var cache = new CachedSiteSettingsProvider();
        var refresher = Refresher(source, cache);
        await refresher.RefreshAsync(CancellationToken.None);

        source.Documents = [Document("b")];
        await refresher.RefreshAsync(CancellationToken.None);

        Assert.False(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("b", out _));
    }

    [Fact]
    public async Task A_settings_file_given_by_path_is_read()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "{ // comment\n \"sites\": [ { \"siteKey\": \"from-file\", \"secretSha256\": \"" + new string('a', 64) + "\", \"tolerance\": 0.03 } ] }");
            var cache = new CachedSiteSettingsProvider();

            await Refresher(new JsonSiteSettingsSource(path), cache).RefreshAsync(CancellationToken.None);

            Assert.True(cache.TryGet("from-file", out var site));
            Assert.Equal(0.03, site.Tolerance);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static SiteSettingsRefresher Refresher(ISiteSettingsSource source, CachedSiteSettingsProvider cache, int batchSize = 500) =>
        new(source, cache, Options.Create(new SettingsOptions { BatchSize = batchSize }), TimeProvider.System, NullLogger<SiteSettingsRefresher>.Instance);

    internal static SiteSettingsDocument Document(string siteKey) => new() { SiteKey = siteKey, SecretSha256 = new string('0', 64) };

    /// <summary>An in-memory source (a fake standing in for a database, named as such) that can be told to fail.</summary>
    private sealed class ListSource(List<SiteSettingsDocument> documents) : ISiteSettingsSource
    {
        public List<SiteSettingsDocument> Documents { get; set; } = documents;

        public bool FailNext { get; set; }

        public int BatchesRead { get; private set; }

        public string Description => "in-memory list";

        public async IAsyncEnumerable<IReadOnlyList<SiteSettingsDocument>> ReadBatchesAsync(int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("the source is down");
            }

            foreach (var batch in Documents.Chunk(batchSize))
            {
                BatchesRead++;
                yield return batch;
            }
        }
    }
}
