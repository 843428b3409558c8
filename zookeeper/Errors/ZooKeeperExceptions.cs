namespace RedisRing.ZooKeeper;

// One exception type per error code, so that callers catch exactly the outcome they expect.

/// <summary>The server (or, for connection and session errors, the client) reported SystemError.</summary>
public sealed class SystemErrorException(string? path = null) : ZooKeeperException(ErrorCode.SystemError, path);

/// <summary>The server (or, for connection and session errors, the client) reported RuntimeInconsistency.</summary>
public sealed class RuntimeInconsistencyException(string? path = null) : ZooKeeperException(ErrorCode.RuntimeInconsistency, path);

/// <summary>The server (or, for connection and session errors, the client) reported DataInconsistency.</summary>
public sealed class DataInconsistencyException(string? path = null) : ZooKeeperException(ErrorCode.DataInconsistency, path);

/// <summary>The server (or, for connection and session errors, the client) reported ConnectionLoss.</summary>
public sealed class ConnectionLossException(string? path = null) : ZooKeeperException(ErrorCode.ConnectionLoss, path);

/// <summary>The server (or, for connection and session errors, the client) reported MarshallingError.</summary>
public sealed class MarshallingErrorException(string? path = null) : ZooKeeperException(ErrorCode.MarshallingError, path);

/// <summary>The server (or, for connection and session errors, the client) reported Unimplemented.</summary>
public sealed class UnimplementedException(string? path = null) : ZooKeeperException(ErrorCode.Unimplemented, path);

/// <summary>The server (or, for connection and session errors, the client) reported OperationTimeout.</summary>
public sealed class OperationTimeoutException(string? path = null) : ZooKeeperException(ErrorCode.OperationTimeout, path);

/// <summary>The server (or, for connection and session errors, the client) reported BadArguments.</summary>
public sealed class BadArgumentsException(string? path = null) : ZooKeeperException(ErrorCode.BadArguments, path);

/// <summary>The server (or, for connection and session errors, the client) reported UnknownSession.</summary>
public sealed class UnknownSessionException(string? path = null) : ZooKeeperException(ErrorCode.UnknownSession, path);

/// <summary>The server (or, for connection and session errors, the client) reported NewConfigNoQuorum.</summary>
public sealed class NewConfigNoQuorumException(string? path = null) : ZooKeeperException(ErrorCode.NewConfigNoQuorum, path);

/// <summary>The server (or, for connection and session errors, the client) reported ReconfigInProgress.</summary>
public sealed class ReconfigInProgressException(string? path = null) : ZooKeeperException(ErrorCode.ReconfigInProgress, path);

/// <summary>The server (or, for connection and session errors, the client) reported ApiError.</summary>
public sealed class ApiErrorException(string? path = null) : ZooKeeperException(ErrorCode.ApiError, path);

/// <summary>The server (or, for connection and session errors, the client) reported NoNode.</summary>
public sealed class NoNodeException(string? path = null) : ZooKeeperException(ErrorCode.NoNode, path);

/// <summary>The server (or, for connection and session errors, the client) reported NoAuth.</summary>
public sealed class NoAuthException(string? path = null) : ZooKeeperException(ErrorCode.NoAuth, path);

/// <summary>The server (or, for connection and session errors, the client) reported BadVersion.</summary>
public sealed class BadVersionException(string? path = null) : ZooKeeperException(ErrorCode.BadVersion, path);

/// <summary>The server (or, for connection and session errors, the client) reported NoChildrenForEphemerals.</summary>
public sealed class NoChildrenForEphemeralsException(string? path = null) : ZooKeeperException(ErrorCode.NoChildrenForEphemerals, path);

/// <summary>The server (or, for connection and session errors, the client) reported NodeExists.</summary>
public sealed class NodeExistsException(string? path = null) : ZooKeeperException(ErrorCode.NodeExists, path);

/// <summary>The server (or, for connection and session errors, the client) reported NotEmpty.</summary>
public sealed class NotEmptyException(string? path = null) : ZooKeeperException(ErrorCode.NotEmpty, path);

/// <summary>The server (or, for connection and session errors, the client) reported SessionExpired.</summary>
public sealed class SessionExpiredException(string? path = null) : ZooKeeperException(ErrorCode.SessionExpired, path);

/// <summary>The server (or, for connection and session errors, the client) reported InvalidCallback.</summary>
public sealed class InvalidCallbackException(string? path = null) : ZooKeeperException(ErrorCode.InvalidCallback, path);

/// <summary>The server (or, for connection and session errors, the client) reported InvalidAcl.</summary>
public sealed class InvalidAclException(string? path = null) : ZooKeeperException(ErrorCode.InvalidAcl, path);

/// <summary>The server (or, for connection and session errors, the client) reported AuthFailed.</summary>
public sealed class AuthFailedException(string? path = null) : ZooKeeperException(ErrorCode.AuthFailed, path);

/// <summary>The server (or, for connection and session errors, the client) reported SessionMoved.</summary>
public sealed class SessionMovedException(string? path = null) : ZooKeeperException(ErrorCode.SessionMoved, path);

/// <summary>The server (or, for connection and session errors, the client) reported NotReadOnly.</summary>
public sealed class NotReadOnlyException(string? path = null) : ZooKeeperException(ErrorCode.NotReadOnly, path);

/// <summary>The server (or, for connection and session errors, the client) reported EphemeralOnLocalSession.</summary>
public sealed class EphemeralOnLocalSessionException(string? path = null) : ZooKeeperException(ErrorCode.EphemeralOnLocalSession, path);

/// <summary>The server (or, for connection and session errors, the client) reported NoWatcher.</summary>
public sealed class NoWatcherException(string? path = null) : ZooKeeperException(ErrorCode.NoWatcher, path);

/// <summary>The server (or, for connection and session errors, the client) reported RequestTimeout.</summary>
public sealed class RequestTimeoutException(string? path = null) : ZooKeeperException(ErrorCode.RequestTimeout, path);

/// <summary>The server (or, for connection and session errors, the client) reported ReconfigDisabled.</summary>
public sealed class ReconfigDisabledException(string? path = null) : ZooKeeperException(ErrorCode.ReconfigDisabled, path);

/// <summary>The server (or, for connection and session errors, the client) reported SessionClosedRequireSaslAuth.</summary>
public sealed class SessionClosedRequireSaslAuthException(string? path = null) : ZooKeeperException(ErrorCode.SessionClosedRequireSaslAuth, path);

/// <summary>The server (or, for connection and session errors, the client) reported QuotaExceeded.</summary>
public sealed class QuotaExceededException(string? path = null) : ZooKeeperException(ErrorCode.QuotaExceeded, path);

/// <summary>The server (or, for connection and session errors, the client) reported Throttled.</summary>
public sealed class ThrottledException(string? path = null) : ZooKeeperException(ErrorCode.Throttled, path);

/// <summary>The server (or, for connection and session errors, the client) reported ClientClosed.</summary>
public sealed class ClientClosedException(string? path = null) : ZooKeeperException(ErrorCode.ClientClosed, path);
