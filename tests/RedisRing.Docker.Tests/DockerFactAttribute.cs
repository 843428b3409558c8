namespace RedisRing.Docker.Tests;

/// <summary>
/// A test that needs the Docker engine and the project's images. Skipped, and said so in its
/// skip reason, only when REDISRING_SKIP_DOCKER=1 (a developer's local run: scripts/test.d/docker.sh
/// then starts no engine); everywhere else a missing engine or image fails the test.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (ComposeStack.SkippedByDeveloper)
        {
            Skip = "REDISRING_SKIP_DOCKER=1: the Docker tests were skipped on purpose";
        }
    }
}
