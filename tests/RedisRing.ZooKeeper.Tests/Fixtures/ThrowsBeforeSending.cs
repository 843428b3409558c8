namespace RedisRing.ZooKeeper.Tests.Fixtures;

public static class ThrowsBeforeSending
{
    /// <summary>
    /// Asserts that <paramref name="call"/> throws while it is being called, before it returns a
    /// task: the request never left the client.
    /// </summary>
    public static T Assert<T>(Func<Task> call)
        where T : Exception => Xunit.Assert.Throws<T>(() => { _ = call(); });
}
