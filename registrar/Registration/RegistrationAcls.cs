using RedisRing.ZooKeeper;

namespace RedisRing.Registrar.Registration;

/// <summary>
/// The ACLs the registrar gives what it creates, read from the folders the creation step made
/// (so the registrar never needs the proxy credential): members get <c>nodes/</c>'s ACL with
/// the proxies' entry turned into read and write, liveness znodes get <c>live/</c>'s ACL.
/// </summary>
internal sealed record RegistrationAcls(IReadOnlyList<Acl> Member, IReadOnlyList<Acl> Liveness);
