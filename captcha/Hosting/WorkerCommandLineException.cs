namespace RedisRing.Captcha.Hosting;

/// <summary>A malformed <c>--workers</c> switch: reported on stderr with exit code 2, never a stack trace.</summary>
internal sealed class WorkerCommandLineException(string message) : Exception(message);
