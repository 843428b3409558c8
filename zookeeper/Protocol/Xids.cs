namespace RedisRing.ZooKeeper.Protocol;

/// <summary>
/// Reserved transaction ids: replies carrying them are not answers to ordinary requests and are
/// therefore never matched against the queue of requests in flight.
/// </summary>
internal static class Xids
{
    public const int Notification = -1;
    public const int Ping = -2;
    public const int Auth = -4;
    public const int SetWatches = -8;
}
