namespace RedisRing.ZooKeeper;

/// <summary>
/// An operation failed with a ZooKeeper error code. Every code has its own subclass so callers
/// catch what they expect (<see cref="NoNodeException"/>, <see cref="BadVersionException"/>...).
/// </summary>
public class ZooKeeperException : Exception
{
    public ZooKeeperException(ErrorCode code, string? path = null)
        : base(path is null ? $"ZooKeeper error {code}." : $"ZooKeeper error {code} for {path}.")
    {
        Code = code;
        Path = path;
    }

    public ErrorCode Code { get; }

    /// <summary>The path of the operation, when it had one.</summary>
    public string? Path { get; }

    /// <summary>The exception type for a code (unknown codes become a plain <see cref="ZooKeeperException"/>).</summary>
    public static ZooKeeperException Create(ErrorCode code, string? path = null) => code switch
    {
        ErrorCode.SystemError => new SystemErrorException(path),
        ErrorCode.RuntimeInconsistency => new RuntimeInconsistencyException(path),
        ErrorCode.DataInconsistency => new DataInconsistencyException(path),
        ErrorCode.ConnectionLoss => new ConnectionLossException(path),
        ErrorCode.MarshallingError => new MarshallingErrorException(path),
        ErrorCode.Unimplemented => new UnimplementedException(path),
        ErrorCode.OperationTimeout => new OperationTimeoutException(path),
        ErrorCode.BadArguments => new BadArgumentsException(path),
        ErrorCode.UnknownSession => new UnknownSessionException(path),
        ErrorCode.NewConfigNoQuorum => new NewConfigNoQuorumException(path),
        ErrorCode.ReconfigInProgress => new ReconfigInProgressException(path),
        ErrorCode.ApiError => new ApiErrorException(path),
        ErrorCode.NoNode => new NoNodeException(path),
        ErrorCode.NoAuth => new NoAuthException(path),
        ErrorCode.BadVersion => new BadVersionException(path),
        ErrorCode.NoChildrenForEphemerals => new NoChildrenForEphemeralsException(path),
        ErrorCode.NodeExists => new NodeExistsException(path),
        ErrorCode.NotEmpty => new NotEmptyException(path),
        ErrorCode.SessionExpired => new SessionExpiredException(path),
        ErrorCode.InvalidCallback => new InvalidCallbackException(path),
        ErrorCode.InvalidAcl => new InvalidAclException(path),
        ErrorCode.AuthFailed => new AuthFailedException(path),
        ErrorCode.SessionMoved => new SessionMovedException(path),
        ErrorCode.NotReadOnly => new NotReadOnlyException(path),
        ErrorCode.EphemeralOnLocalSession => new EphemeralOnLocalSessionException(path),
        ErrorCode.NoWatcher => new NoWatcherException(path),
        ErrorCode.RequestTimeout => new RequestTimeoutException(path),
        ErrorCode.ReconfigDisabled => new ReconfigDisabledException(path),
        ErrorCode.SessionClosedRequireSaslAuth => new SessionClosedRequireSaslAuthException(path),
        ErrorCode.QuotaExceeded => new QuotaExceededException(path),
        ErrorCode.Throttled => new ThrottledException(path),
        ErrorCode.ClientClosed => new ClientClosedException(path),
        _ => new ZooKeeperException(code, path),
    };
}
