namespace RedisRing.Captcha.Tests.Settings;

/// <summary>
/// A fact that runs only when REDISRING_TEST_MONGODB_URL names a MongoDB server. No MongoDB
/// server can run on the project's machines, so elsewhere the test is skipped and says why.
/// </summary>
public sealed class MongoFactAttribute : FactAttribute
{
    public const string Variable = "REDISRING_TEST_MONGODB_URL";

    public MongoFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Url))
        {
            Skip = $"{Variable} is not set: no MongoDB server runs on this machine, so the MongoDB settings source cannot be exercised here. Set {Variable} to a MongoDB connection string (for example mongodb://127.0.0.1:27017) to run it.";
        }
    }

    public static string? Url => Environment.GetEnvironmentVariable(Variable);
}
