using RedisRing.Membership;

namespace RedisRing.Ringctl.Cli;

/// <summary>Which cluster a command acts on, with what credential, and how long it may wait for ZooKeeper.</summary>
internal sealed record Target(string ZooKeeper, ClusterLayout Layout, DigestCredential Credential, TimeSpan ConnectTimeout, string? RedisPassword);
