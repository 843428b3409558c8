using System.Text.Json;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Admin;

/// <summary>SIGHUP reloads the proxy's reloadable settings from its config file; a bad file keeps those in force.</summary>
public sealed class ConfigReloadTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task SIGHUP_puts_a_new_password_in_force_and_a_bad_file_keeps_the_old_one_and_says_why()
    {
        await using var node = await RedisServer.StartAsync(output);
        var file = Path.Combine(Path.GetTempPath(), $"redisring-reload-{Guid.NewGuid():N}.json");
        try
        {
            await WriteConfigAsync(file, node.Endpoint, "first-secret");
            await using var proxy = await ProxyProcess.StartAsync(output, ["--config", file, "--replicas", "1"]);
            Assert.Equal("+OK\r\n", await AuthAsync(proxy.Port, "first-secret"));

            await WriteConfigAsync(file, node.Endpoint, "second-secret");
            proxy.Signal("HUP");
            Assert.True(await PollAsync(async () => await AuthAsync(proxy.Port, "second-secret") == "+OK\r\n"), "the new password never took effect");
            Assert.StartsWith("-WRONGPASS", await AuthAsync(proxy.Port, "first-secret"), StringComparison.Ordinal);

            await File.WriteAllTextAsync(file, "{ \"password\": \"third-secret\", \"maxClients\": -5, ");
            proxy.Signal("HUP");
            Assert.True(await PollAsync(() => Task.FromResult(proxy.ReadLog().Contains("Settings not reloaded", StringComparison.Ordinal))), "the rejected reload was not logged");
            Assert.Equal("+OK\r\n", await AuthAsync(proxy.Port, "second-secret"));
            Assert.True(proxy.IsRunning);
            Assert.DoesNotContain("third-secret", proxy.ReadLog(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Task WriteConfigAsync(string path, string node, string password) =>
        File.WriteAllTextAsync(path, JsonSerializer.Serialize(new Dictionary<string, object> { ["nodes"] = new[] { node }, ["password"] = password }));

    private static async Task<string> AuthAsync(int port, string password)
    {
        await using var client = await RespConnection.ConnectAsync(port);
        return await client.CommandAsync("AUTH", password);
    }

    private static async Task<bool> PollAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + s_limit;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
