using MongoDB.Driver;
using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Tests.Settings;

/// <summary>The MongoDB settings source against a real MongoDB given by REDISRING_TEST_MONGODB_URL.</summary>
public sealed class MongoSiteSettingsSourceTests
{
    [MongoFact]
    public async Task Sites_stored_in_mongodb_are_loaded_in_batches_into_the_cache()
    {
        var database = "redisring_captcha_test_" + Guid.NewGuid().ToString("N")[..8];
        var client = new MongoClient(MongoFactAttribute.Url);
        try
        {
            var collection = client.GetDatabase(database).GetCollection<SiteSettingsDocument>("sites");
            var documents = Enumerable.Range(0, 7).Select(i => SiteSettingsRefresherTests.Document("mongo-site-" + i)).ToList();
            documents[3].Tolerance = 0.05;
            documents[3].AllowedHostnames = ["shop.example"];
            await collection.InsertManyAsync(documents);
            var cache = new CachedSiteSettingsProvider();

            await SiteSettingsRefresherTests.Refresher(new MongoSiteSettingsSource(MongoFactAttribute.Url!, database, "sites"), cache, batchSize: 3).RefreshAsync(CancellationToken.None);

            Assert.Equal(7, cache.Count);
            Assert.True(cache.TryGet("mongo-site-3", out var site));
            Assert.Equal(0.05, site.Tolerance);
            Assert.Equal(["shop.example"], site.AllowedHostnames);
        }
        finally
        {
            await client.DropDatabaseAsync(database);
        }
    }

    [MongoFact]
    public async Task Only_documents_whose_updatedAt_moved_are_read_between_full_reloads()
    {
        var database = "redisring_captcha_test_" + Guid.NewGuid().ToString("N")[..8];
        var client = new MongoClient(MongoFactAttribute.Url);
        try
        {
            var collection = client.GetDatabase(database).GetCollection<SiteSettingsDocument>("sites");
            var old = DateTime.UtcNow.AddHours(-1);
            var documents = Enumerable.Range(0, 5).Select(i => SiteSettingsRefresherTests.Document("mongo-site-" + i)).ToList();
            documents.ForEach(d => d.UpdatedAt = old);
            await collection.InsertManyAsync(documents);
            var source = new MongoSiteSettingsSource(MongoFactAttribute.Url!, database, "sites");
            var since = DateTime.UtcNow.AddMinutes(-1);
            await collection.UpdateOneAsync(d => d.SiteKey == "mongo-site-2",
                Builders<SiteSettingsDocument>.Update.Set(d => d.Tolerance, 0.05).Set(d => d.UpdatedAt, DateTime.UtcNow));

            var changed = new List<SiteSettingsDocument>();
            await foreach (var batch in source.ReadUpdatedSinceAsync(since, 2, CancellationToken.None))
            {
                changed.AddRange(batch);
            }

            var site = Assert.Single(changed);
            Assert.Equal("mongo-site-2", site.SiteKey);
            Assert.Equal(0.05, site.Tolerance);
        }
        finally
        {
            await client.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public void The_mongodb_source_describes_itself_without_the_password()
    {
        var source = new MongoSiteSettingsSource("mongodb://captcha:hunter2@db.example:27017/?authSource=admin", "captcha", "sites");

        Assert.DoesNotContain("hunter2", source.Description, StringComparison.Ordinal);
        Assert.Contains("db.example:27017", source.Description, StringComparison.Ordinal);
    }
}
