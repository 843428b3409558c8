namespace RedisRing.Ringctl;

/// <summary>A failure that ends the command with a message for the operator and one of the <see cref="ExitCodes"/>.</summary>
public sealed class RingctlException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
