using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Tests.Settings;

/// <summary>
/// Between full reloads, a source that can tell what changed since a moment (MongoDB's
/// <c>updatedAt</c>) is asked for just that. The source here is a FAKE standing in for MongoDB,
/// named as such: no MongoDB server can run on this machine. It filters on <c>updatedAt</c> the way
/// the MongoDB query does (<c>updatedAt &gt;= since</c>); MongoSiteSettingsSourceTests runs the real
/// query when REDISRING_TEST_MONGODB_URL is set.
/// </summary>
public sealed class IncrementalSettingsTests
{
    private static string Key(RedisRing.SharedCache.CacheChange change) => Encoding.UTF8.GetString(change.Key.Span);

    [Fact]
    public async Task A_refresh_reads_only_the_sites_updated_since_the_last_read_and_rewrites_only_real_changes()
    {
        var old = DateTime.UtcNow.AddHours(-1);
        var fake = new FakeMongoSource([Site("a", old), Site("b", old), Site("c", old)]);
        using var source = new SiteSettingsCacheSource(fake, 100, null, NullLogger.Instance);
        var all = await source.LoadAllAsync(CancellationToken.None);
        Assert.Equal(3, all.Records.Count);

        // b changes; c is touched (updatedAt moves) without any change to its settings.
        fake.Documents[1] = Site("b", DateTime.UtcNow, tolerance: 0.05);
        fake.Documents[2] = Site("c", DateTime.UtcNow);
        var changes = await source.LoadChangesAsync(all.Cursor, CancellationToken.None);

        Assert.NotNull(changes);
        Assert.Equal(1, fake.IncrementalReads);
        Assert.Equal(2, fake.LastIncrementalCount);
        Assert.Equal(["b"], changes.Changes.Select(Key));
        Assert.False(changes.Changes[0].IsDelete);
    }

    [Fact]
    public async Task A_deleted_site_disappears_at_the_next_full_reload_not_from_an_incremental_read()
    {
        var old = DateTime.UtcNow.AddHours(-1);
        var fake = new FakeMongoSource([Site("a", old), Site("b", old)]);
        using var source = new SiteSettingsCacheSource(fake, 100, null, NullLogger.Instance);
        var all = await source.LoadAllAsync(CancellationToken.None);

        fake.Documents.RemoveAt(1);
        var changes = await source.LoadChangesAsync(all.Cursor, CancellationToken.None);
        Assert.Empty(changes!.Changes);

        var reload = await source.LoadAllAsync(CancellationToken.None);
        Assert.Equal(["a"], reload.Records.Select(r => Encoding.UTF8.GetString(r.Key.Span)));
    }

    [Fact]
    public async Task The_next_incremental_read_asks_from_a_little_before_the_previous_one_started()
    {
        var fake = new FakeMongoSource([Site("a", DateTime.UtcNow.AddHours(-1))]);
        using var source = new SiteSettingsCacheSource(fake, 100, null, NullLogger.Instance);
        var before = DateTime.UtcNow;
        var all = await source.LoadAllAsync(CancellationToken.None);
        await source.LoadChangesAsync(all.Cursor, CancellationToken.None);

        // Writers' clocks may lag: the query reaches back a few seconds before the read began.
        Assert.InRange(fake.LastSince!.Value, before.AddSeconds(-10), before);
    }

    private static SiteSettingsDocument Site(string key, DateTime updatedAt, double? tolerance = null)
    {
        var document = SiteSettingsRefresherTests.Document(key);
        document.UpdatedAt = updatedAt;
        document.Tolerance = tolerance;
        return document;
    }

    /// <summary>FAKE MongoDB collection (no MongoDB server runs here): a list filtered on updatedAt like the real query.</summary>
    private sealed class FakeMongoSource(List<SiteSettingsDocument> documents) : IIncrementalSiteSettingsSource
    {
        public List<SiteSettingsDocument> Documents { get; } = documents;

        public int IncrementalReads { get; private set; }

        public int LastIncrementalCount { get; private set; }

        public DateTime? LastSince { get; private set; }

        public string Description => "fake MongoDB collection";

        public async IAsyncEnumerable<IReadOnlyList<SiteSettingsDocument>> ReadBatchesAsync(int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            foreach (var batch in Documents.ToList().Chunk(batchSize))
            {
                yield return batch;
            }
        }

        public async IAsyncEnumerable<IReadOnlyList<SiteSettingsDocument>> ReadUpdatedSinceAsync(DateTime sinceUtc, int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            IncrementalReads++;
            LastSince = sinceUtc;
            var changed = Documents.Where(d => d.UpdatedAt >= sinceUtc).ToList();
            LastIncrementalCount = changed.Count;
            foreach (var batch in changed.Chunk(batchSize))
            {
                yield return batch;
            }
        }
    }
}
