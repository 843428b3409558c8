namespace RedisRing.Proxy.Requests;

/// <summary>How the replies of a request's sub-requests become the client's one reply.</summary>
internal enum ReplyMerge
{
    /// <summary>One sub-request: its reply as it is.</summary>
    Single,

    /// <summary>MGET split by replica set: values put back in the client's key order.</summary>
    MultiGet,

    /// <summary>DEL, UNLINK, EXISTS, TOUCH: the integers added up.</summary>
    SumIntegers,

    /// <summary>MSET: +OK when every part succeeded.</summary>
    AllOk,

    /// <summary>The reply was written by the proxy itself.</summary>
    Local,
}
