using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Tests.Settings;

/// <summary>
/// The shared-cache settings provider and its loader service in this process, on a real cache file
/// in a temporary folder and a real JSON settings file (the multi-process behaviour is in Workers/).
/// </summary>
public sealed class SharedSiteSettingsProviderTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("redisring-shared-settings-").FullName;

    private string SettingsFile => Path.Combine(_directory, "sites.json");

    [Fact]
    public async Task Sites_are_read_from_the_shared_cache_and_follow_changes_and_deletions_in_the_source()
    {
        await WriteSitesAsync(("a", 0.03), ("broken", 5.0), ("b", 0.02));
        await using var worker = await StartAsync();

        Assert.True(worker.Provider.TryGet("a", out var a));
        Assert.Equal(0.03, a.Tolerance);
        Assert.False(worker.Provider.TryGet("broken", out _));
        Assert.True(worker.Provider.TryGet("a", out var again));
        Assert.Same(a, again);

        await WriteSitesAsync(("a", 0.05), ("c", 0.02));
        await WaitUntilAsync(() => worker.Provider.TryGet("a", out var s) && s.Tolerance == 0.05 && !worker.Provider.TryGet("b", out _));

        Assert.True(worker.Provider.TryGet("c", out _));
        var status = worker.Provider.GetStatus();
        Assert.Equal(SettingsCacheMode.Shared, status.Mode);
        Assert.True(status.Loaded);
        Assert.True(status.IsLoader);
        Assert.Equal(2, status.Sites);
        Assert.InRange(status.SourceReads, 2, 100);
        Assert.False(status.Stale);
    }

    [Fact]
    public async Task A_second_worker_on_the_same_cache_serves_at_once_without_reading_the_source()
    {
        await WriteSitesAsync(("a", 0.03));
        await using var first = await StartAsync();
        await using var second = await StartAsync();

        Assert.True(second.Provider.TryGet("a", out var a));
        Assert.Equal(0.03, a.Tolerance);
        var status = second.Provider.GetStatus();
        Assert.False(status.IsLoader);
        Assert.Equal(0, status.SourceReads);
        Assert.True(first.Provider.GetStatus().IsLoader);
    }

    [Fact]
    public async Task When_the_source_is_gone_the_last_settings_stay_and_the_age_shows_the_staleness()
    {
        await WriteSitesAsync(("a", 0.03));
        await using var worker = await StartAsync(staleAfterSeconds: 1);

        File.Delete(SettingsFile);
        await WaitUntilAsync(() => worker.Provider.GetStatus() is { Stale: true, LastError: not null });

        Assert.True(worker.Provider.TryGet("a", out _));
        var status = worker.Provider.GetStatus();
        Assert.True(status.Age > TimeSpan.FromSeconds(1));
        Assert.True(status.SourceFailures > 0);
    }

    [Fact]
    public async Task More_sites_than_a_worker_keeps_decoded_are_all_still_found_with_their_own_settings()
    {
        var count = SharedSiteSettingsProvider.MaxDecodedSites + 50;
        await WriteSitesAsync(Enumerable.Range(0, count).Select(i => ($"s{i}", 0.01 + (i % 10 / 100.0))).ToArray());
        await using var worker = await StartAsync();
        // On a busy machine the first load of 10k sites may outlast the start-up wait.
        await WaitUntilAsync(() => worker.Provider.GetStatus().Sites == count);

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.True(worker.Provider.TryGet($"s{i}", out var site));
                Assert.Equal(0.01 + (i % 10 / 100.0), site.Tolerance);
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("no.dots")]
    [InlineData("a/../b")]
    [InlineData("ünïcode")]
    public async Task Malformed_site_keys_find_nothing(string siteKey)
    {
        await WriteSitesAsync(("a", 0.03));
        await using var worker = await StartAsync();

        Assert.False(worker.Provider.TryGet(siteKey, out _));
        Assert.False(worker.Provider.TryGet(new string('k', 5000), out _));
    }

    [Fact]
    public void Before_any_loader_published_the_provider_answers_nothing_and_reports_not_loaded()
    {
        using var provider = Provider(staleAfterSeconds: 0);

        Assert.False(provider.TryGet("a", out _));
        Assert.False(provider.GetStatus().Loaded);
        Assert.True(provider.GetStatus().Stale);
    }

    private async Task<Worker> StartAsync(int staleAfterSeconds = 0)
    {
        var provider = Provider(staleAfterSeconds);
        var service = new SharedSettingsLoaderService(provider, new JsonSiteSettingsSource(SettingsFile), Options(staleAfterSeconds), TimeProvider.System,
            NullLogger<SharedSettingsLoaderService>.Instance, NullLoggerFactory.Instance);
        await service.StartAsync(CancellationToken.None);
        return new Worker(provider, service);
    }

    private SharedSiteSettingsProvider Provider(int staleAfterSeconds) =>
        new(Options(staleAfterSeconds), TimeProvider.System, NullLogger<SharedSiteSettingsProvider>.Instance);

    private IOptions<SettingsOptions> Options(int staleAfterSeconds) => Microsoft.Extensions.Options.Options.Create(new SettingsOptions
    {
        JsonPath = SettingsFile,
        SharedCachePath = Path.Combine(_directory, "settings.cache"),
        RefreshSeconds = 1,
        StaleAfterSeconds = staleAfterSeconds,
        // A busy test machine may take a while for the first load; the tests expect it done.
        StartupWaitSeconds = 60,
    });

    private Task WriteSitesAsync(params (string SiteKey, double Tolerance)[] sites)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new
        {
            sites = sites.Select(s => new { siteKey = s.SiteKey, secretSha256 = new string('a', 64), tolerance = s.Tolerance }),
        });
        var temporary = SettingsFile + ".tmp";
        File.WriteAllText(temporary, json);
        File.Move(temporary, SettingsFile, overwrite: true);
        return Task.CompletedTask;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed record Worker(SharedSiteSettingsProvider Provider, SharedSettingsLoaderService Service) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Service.StopAsync(CancellationToken.None);
            Service.Dispose();
            Provider.Dispose();
        }
    }
}
