namespace RedisRing.Captcha.Settings;

/// <summary>Where site settings come from (a JSON file, MongoDB); read in batches by the cache.</summary>
internal interface ISiteSettingsSource
{
    /// <summary>A short description for logs (never containing credentials).</summary>
    string Description { get; }

    IAsyncEnumerable<IReadOnlyList<SiteSettingsDocument>> ReadBatchesAsync(int batchSize, CancellationToken cancellationToken);
}
