using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace RedisRing.Testing;

/// <summary>
/// A real 3-member ZooKeeper ensemble on loopback. Members can be killed (kill -9) and started
/// again with their data; disposing stops them all.
/// </summary>
public sealed class ZooKeeperEnsemble : IAsyncDisposable
{
    private readonly List<ZooKeeperServer> _members;

    private ZooKeeperEnsemble(List<ZooKeeperServer> members) => _members = members;

    public IReadOnlyList<ZooKeeperServer> Members => _members;

    /// <summary>Every member, as a client connect string ("127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3").</summary>
    public string ConnectString => string.Join(',', _members.Select(m => m.Endpoint));

    /// <summary>Every member but <paramref name="excluded"/>, as a client connect string: a client that must not reach it.</summary>
    public string ConnectStringWithout(ZooKeeperServer excluded) => string.Join(',', _members.Where(m => m != excluded).Select(m => m.Endpoint));

    public static async Task<ZooKeeperEnsemble> StartAsync(ITestOutputHelper? output = null, int size = 3)
    {
        var clientPorts = new int[size];
        var servers = new StringBuilder();
        for (var i = 0; i < size; i++)
        {
            clientPorts[i] = LoopbackPorts.GetFree();
            var quorumPort = LoopbackPorts.GetFree();
            var electionPort = LoopbackPorts.GetFree();
            servers.AppendLine(CultureInfo.InvariantCulture, $"server.{i + 1}=127.0.0.1:{quorumPort}:{electionPort}");
        }

        var members = Enumerable.Range(0, size).Select(i => new ZooKeeperServer(output, i + 1, clientPorts[i], servers.ToString())).ToList();
        return await ServerProcess.StartOrDisposeAsync(new ZooKeeperEnsemble(members), e => e.StartAllAsync());
    }

    /// <summary>Starts every member that is not running and waits until all serve.</summary>
    public async Task StartAllAsync()
    {
        // Started together: a member only serves once a quorum is up.
        await Task.WhenAll(_members.Where(m => !m.IsRunning).Select(m => m.StartAsync(TimeSpan.FromSeconds(90))));
    }

    /// <summary>Kills every member (kill -9).</summary>
    public void KillAll()
    {
        foreach (var member in _members)
        {
            member.Kill();
        }
    }

    /// <summary>The member whose client port is <paramref name="endpoint"/> ("127.0.0.1:port").</summary>
    public ZooKeeperServer MemberAt(string endpoint) => _members.Single(m => m.Endpoint == endpoint);

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members)
        {
            await member.DisposeAsync();
        }
    }
}
