using RedisRing.Registrar.Configuration;

namespace RedisRing.Registrar.Tests.Configuration;

public sealed class RegistrarOptionsTests
{
    private static readonly Dictionary<string, string> s_environment = new() { ["REDISRING_ZK_AUTH"] = "registrar:pw" };

    private static RegistrarOptions Load(params string[] args) => RegistrarOptionsLoader.Load(args, name => s_environment.GetValueOrDefault(name));

    [Fact]
    public void Defaults_follow_the_issue()
    {
        var options = Load("--redis", "127.0.0.1:7001", "--zookeeper", "127.0.0.1:2181", "--cluster", "c");
        Assert.Equal(TimeSpan.FromSeconds(1), options.UnhealthyAfter);
        Assert.Equal(TimeSpan.FromSeconds(4), options.SessionTimeout);
        Assert.Equal("127.0.0.1:7001", options.Advertise.ToString());
        Assert.Equal("registrar", options.ClusterCredential.User);
    }

    [Theory]
    [InlineData("--redis", "nohost", "--zookeeper", "z:1", "--cluster", "c")]
    [InlineData("--redis", "h:1", "--cluster", "c")]
    [InlineData("--redis", "h:1", "--zookeeper", "z:1", "--cluster", "a/b")]
    [InlineData("--redis", "h:1", "--zookeeper", "z:1", "--cluster", "c", "--weight", "0")]
    [InlineData("--redis", "h:1", "--zookeeper", "z:1", "--cluster", "c", "--unknown", "1")]
    [InlineData("--redis", "h:1", "--zookeeper", "z:1", "--cluster", "c", "--weight")]
    public void Bad_options_are_configuration_errors(params string[] args) => Assert.Throws<ConfigurationException>(() => Load(args));

    [Fact]
    public void Missing_credential_is_a_configuration_error() =>
        Assert.Throws<ConfigurationException>(() => RegistrarOptionsLoader.Load(["--redis", "h:1", "--zookeeper", "z:1", "--cluster", "c"], _ => null));
}
