namespace RedisRing.Captcha.Settings;

/// <summary>
/// Reading a large source (100k sites: a 40 MB JSON file, its documents, their encoded records)
/// leaves tens of megabytes of garbage. The server GC would keep that memory committed in the
/// process that loaded, i.e. the loader would hold a second, dead copy of the settings, which is
/// what the shared cache exists to avoid. Loads are rare (a change, a poll that finds one, a full
/// reload every few minutes), so a second after a large one (measured: collecting at once, while the
/// loader's completed async frames still referenced the batch, freed 9 of 105 MB; a second later, 85)
/// the heap is compacted and returned to the OS.
/// </summary>
internal static class LoadGarbage
{
    /// <summary>Below this many sites the garbage is too small to be worth a blocking collection.</summary>
    public const int LargeLoadSites = 10_000;

    public static void ReleaseAfterLoad(int sites)
    {
        if (sites >= LargeLoadSites)
        {
            // A moment later, once the loader's async frames that held the batch have completed.
            _ = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            });
        }
    }
}
