using System.Diagnostics;

namespace RedisRing.Docker.Tests;

/// <summary>
/// The stack every Docker test shares (starting it takes the most time of all): `docker-compose up`
/// from the local images, ready when both proxies serve a ring of the three nodes and the captcha is
/// healthy. Tests that break something (a killed node, a stopped ZooKeeper member, a restarted
/// proxy) put it back before they end. `docker-compose down -v` removes everything at the end.
/// </summary>
public sealed class DockerStackFixture : IAsyncLifetime
{
    public static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(150);

    public ComposeStack Stack { get; } = new();

    /// <summary>From `docker-compose up` to the stack ready (docs/docker.md quotes it).</summary>
    public TimeSpan StartTime { get; private set; }

    public async Task InitializeAsync()
    {
        if (ComposeStack.SkippedByDeveloper)
        {
            return;
        }

        foreach (var image in ComposeStack.Images)
        {
            try
            {
                await Stack.DockerAsync("image", "inspect", "--format", "{{.Id}}", image);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException(
                    $"image {image} is missing: docker/build-images.sh builds it (scripts/test.d/docker.sh runs it; logs in .local/docker/). {e.Message}", e);
            }
        }

        var started = Stopwatch.StartNew();
        try
        {
            await Stack.ComposeAsync(["up", "-d", "--no-build"], (int)ReadyWithin.TotalSeconds);
            await ComposeStack.WaitRingAsync(Stack.Proxy1Port, 3, ReadyWithin);
            await ComposeStack.WaitRingAsync(Stack.Proxy2Port, 3, ReadyWithin);
            await Stack.WaitHealthyAsync("captcha", ReadyWithin);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            var diagnostics = await Stack.DiagnosticsAsync();
            await DisposeAsync();
            throw new InvalidOperationException($"the stack did not come up: {e.Message}\n{diagnostics}", e);
        }

        StartTime = started.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (ComposeStack.SkippedByDeveloper)
        {
            return;
        }

        await Stack.ComposeAsync(["down", "-v", "--remove-orphans", "-t", "5"], 120);
    }
}

/// <summary>Every Docker test class shares the one stack, and they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DockerStackCollection : ICollectionFixture<DockerStackFixture>
{
    public const string Name = "docker stack";
}
