namespace RedisRing.Resp;

/// <summary>The outcome of trying to read one frame from buffered bytes.</summary>
public enum RespStatus
{
    /// <summary>A whole frame was read.</summary>
    Complete,

    /// <summary>The bytes end inside a frame: read more and try again. Not an error.</summary>
    NeedMoreData,

    /// <summary>The bytes violate the protocol or a limit; the connection must be closed after replying.</summary>
    ProtocolError,
}
