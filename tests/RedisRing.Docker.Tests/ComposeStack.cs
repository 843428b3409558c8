using System.Diagnostics;
using System.Security.Cryptography;
using RedisRing.Testing;

namespace RedisRing.Docker.Tests;

/// <summary>
/// One docker-compose project of docker/docker-compose.yml: its own project name (so its containers
/// and network are its own), new credentials, and free loopback ports for the published ones. It
/// drives the stack with the docker-compose and docker command-line clients, as an operator would.
/// </summary>
public sealed class ComposeStack
{
    /// <summary>The images the compose file needs, all built locally by docker/build-images.sh.</summary>
    public static readonly string[] Images =
        ["redisring/zookeeper", "redisring/registrar", "redisring/redis-registrar", "redisring/proxy", "redisring/captcha"];

    private readonly Dictionary<string, string> _environment;

    public ComposeStack()
    {
        Project = "redisring-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Proxy1Port = LoopbackPorts.GetFree();
        Proxy2Port = LoopbackPorts.GetFree();
        CaptchaPort = LoopbackPorts.GetFree();
        _environment = new Dictionary<string, string>
        {
            // Debian's engine is 20.10: the newer docker client must speak its API version.
            ["DOCKER_API_VERSION"] = "1.41",
            ["REDISRING_ZK_AUTH"] = "registrar:" + Secret(),
            ["REDISRING_ZK_PROXY_AUTH"] = "proxy:" + Secret(),
            ["REDISRING_CAPTCHA_KEY_ID"] = "test-1",
            ["REDISRING_CAPTCHA_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["REDISRING_CLUSTER"] = "docker-test",
            ["REDISRING_PROXY1_PORT"] = Proxy1Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REDISRING_PROXY2_PORT"] = Proxy2Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REDISRING_CAPTCHA_PORT"] = CaptchaPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>REDISRING_SKIP_DOCKER=1: a developer's run without Docker (never set in CI).</summary>
    public static bool SkippedByDeveloper => Environment.GetEnvironmentVariable("REDISRING_SKIP_DOCKER") == "1";

    public static string ComposeFile { get; } = Path.Combine(RepositoryPaths.Root, "docker", "docker-compose.yml");

    public string Project { get; }

    public int Proxy1Port { get; }

    public int Proxy2Port { get; }

    public int CaptchaPort { get; }

    /// <summary>Runs docker-compose on this project; a nonzero exit is an exception with its output.</summary>
    public Task<string> ComposeAsync(IEnumerable<string> arguments, int timeoutSeconds = 180) =>
        RunAsync("docker-compose", ["-f", ComposeFile, "-p", Project, .. arguments], timeoutSeconds);

    public Task<string> ComposeAsync(params string[] arguments) => ComposeAsync(arguments, 180);

    public Task<string> DockerAsync(params string[] arguments) => RunAsync("docker", arguments, 60);

    /// <summary>The id of a service's (first) container.</summary>
    public async Task<string> ContainerIdAsync(string service)
    {
        var id = (await ComposeAsync("ps", "-q", service)).Trim().Split('\n')[0].Trim();
        return id.Length > 0 ? id : throw new InvalidOperationException($"no container for service {service} in {Project}");
    }

    /// <summary>A container's state: "running", "exited" ..., and its health when it has a check.</summary>
    public async Task<(string State, string Health)> StateAsync(string service)
    {
        var id = await ContainerIdAsync(service);
        var text = (await DockerAsync("inspect", "--format", "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}", id)).Trim();
        var parts = text.Split(' ');
        return (parts[0], parts.Length > 1 ? parts[1] : "none");
    }

    /// <summary>Waits until a service's container reports healthy; fails after <paramref name="within"/>.</summary>
    public async Task WaitHealthyAsync(string service, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        var last = ("?", "?");
        while (deadline.Elapsed < within)
        {
            last = await StateAsync(service);
            if (last.Item2 == "healthy")
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{service} is not healthy after {within.TotalSeconds:0} s (state {last.Item1}, health {last.Item2})");
    }

    /// <summary>Waits until a proxy serves a ring of <paramref name="readableNodes"/> readable nodes with no initial node awaited.</summary>
    public static async Task WaitRingAsync(int proxyPort, int readableNodes, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        var last = "(no answer)";
        while (deadline.Elapsed < within)
        {
            try
            {
                last = await RawRedis.CommandAsync(proxyPort, "INFO", "ring");
                if (last.Contains($"ring_readable_nodes:{readableNodes}\r\n", StringComparison.Ordinal)
                    && last.Contains("ring_waiting_for:\r\n", StringComparison.Ordinal)
                    && CountOf(last, ",state=up,") == readableNodes)
                {
                    return;
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
            {
                last = "(no answer: " + e.Message + ")";
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the proxy on 127.0.0.1:{proxyPort} has no ring of {readableNodes} readable nodes after {within.TotalSeconds:0} s; INFO ring: {last}");
    }

    /// <summary>Both proxies serve the ring of the three nodes (what every test may assume when it starts).</summary>
    public async Task WaitServingAsync()
    {
        await WaitRingAsync(Proxy1Port, 3, TimeSpan.FromSeconds(60));
        await WaitRingAsync(Proxy2Port, 3, TimeSpan.FromSeconds(60));
    }

    /// <summary>Runs <paramref name="step"/>; when it fails, the failure carries the stack's state and logs.</summary>
    public async Task WithDiagnosticsAsync(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException(e.Message + "\n" + await DiagnosticsAsync(), e);
        }
    }

    /// <summary>Waits until a proxy's own view of a node (INFO ring's node line) is <paramref name="state"/>, e.g. down.</summary>
    public static async Task WaitNodeStateAsync(int proxyPort, string node, string state, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        var last = "(no answer)";
        while (deadline.Elapsed < within)
        {
            last = await RawRedis.CommandAsync(proxyPort, "INFO", "ring");
            if (last.Split("\r\n").Any(line => line.Contains($":name={node},", StringComparison.Ordinal) && line.Contains($",state={state},", StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the proxy on 127.0.0.1:{proxyPort} does not see {node} {state} after {within.TotalSeconds:0} s; INFO ring: {last}");
    }

    /// <summary>The last log lines of every service, for a failure message.</summary>
    public async Task<string> DiagnosticsAsync()
    {
        try
        {
            return await ComposeAsync(["ps"], 30) + "\n" + await ComposeAsync(["logs", "--no-color", "--tail", "30"], 60);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            return "(no diagnostics: " + e.Message + ")";
        }
    }

    private async Task<string> RunAsync(string file, IEnumerable<string> arguments, int timeoutSeconds)
    {
        var run = await ToolProcess.RunSeparatelyAsync(file, arguments, _environment.ToDictionary(p => p.Key, p => (string?)p.Value), timeoutSeconds: timeoutSeconds);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {run.ExitCode}: {run.Stdout}{run.Stderr}");
        }

        return run.Stdout;
    }

    private static string Secret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'a').Replace('/', 'b').TrimEnd('=');

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
