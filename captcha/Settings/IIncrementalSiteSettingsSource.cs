namespace RedisRing.Captcha.Settings;

/// <summary>
/// A settings source that can also return only the sites changed since a moment (MongoDB, by the
/// documents' <c>updatedAt</c>), so a refresh costs the changes instead of the whole collection.
/// Deletions and documents without <c>updatedAt</c> are found by the periodic full reload.
/// </summary>
internal interface IIncrementalSiteSettingsSource : ISiteSettingsSource
{
    IAsyncEnumerable<IReadOnlyList<SiteSettingsDocument>> ReadUpdatedSinceAsync(DateTime sinceUtc, int batchSize, CancellationToken cancellationToken);
}
