namespace RedisRing.Membership;

/// <summary>
/// Where a member record was read from: the znode's creation zxid (a member deleted and created
/// again, even within one debounce, has another one, so it is seen as a new node) and its data
/// version (for conditional writes: removal, repair records).
/// </summary>
public readonly record struct MemberZnode(long CreatedZxid, int Version);
