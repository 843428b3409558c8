using System.Runtime.CompilerServices;
using MongoDB.Driver;

namespace RedisRing.Captcha.Settings;

/// <summary>
/// Site settings from a MongoDB collection (one document per site, same fields as the JSON
/// file), read with a cursor whose batches become the cache's refresh batches. Between full
/// reloads only the documents whose <c>updatedAt</c> moved are read (an index on
/// <c>updatedAt</c> keeps that query cheap).
/// </summary>
internal sealed class MongoSiteSettingsSource : IIncrementalSiteSettingsSource
{
    private readonly IMongoCollection<SiteSettingsDocument> _collection;

    public MongoSiteSettingsSource(string connectionString, string database, string collection)
    {
        var url = MongoUrl.Create(connectionString);
        var clientSettings = MongoClientSettings.FromUrl(url);
        clientSettings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        clientSettings.ApplicationName = "redisring-captcha";
        _collection = new MongoClient(clientSettings).GetDatabase(database).GetCollection<SiteSettingsDocument>(collection);
        // The URL may carry a password: describe it by host names only.
        Description = $"MongoDB {string.Join(',', url.Servers.Select(s => s.ToString()))}/{database}.{collection}";
    }

    public string Description { get; }

    public IAsyncEnumerable<IReadOnlyList<SiteSettingsDocument>> ReadBatchesAsync(int batchSize, CancellationToken cancellationToken) =>
        FindAsync(FilterDefinition<SiteSettingsDocument>.Empty, batchSize, cancellationToken);

    public IAsyncEnumerable<IReadOnlyList<SiteSettingsDocument>> ReadUpdatedSinceAsync(DateTime sinceUtc, int batchSize, CancellationToken cancellationToken) =>
        FindAsync(Builders<SiteSettingsDocument>.Filter.Gte(d => d.UpdatedAt, sinceUtc), batchSize, cancellationToken);

    private async IAsyncEnumerable<IReadOnlyList<SiteSettingsDocument>> FindAsync(FilterDefinition<SiteSettingsDocument> filter, int batchSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = new FindOptions<SiteSettingsDocument> { BatchSize = batchSize };
        using var cursor = await _collection.FindAsync(filter, options, cancellationToken);
        while (await cursor.MoveNextAsync(cancellationToken))
        {
            yield return cursor.Current.ToList();
        }
    }
}
