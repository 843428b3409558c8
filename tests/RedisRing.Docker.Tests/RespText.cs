namespace RedisRing.Docker.Tests;

/// <summary>Replies as RawRedis and RespConnection return them: raw RESP text.</summary>
internal static class RespText
{
    public const string Ok = "+OK\r\n";

    public static string Bulk(string value) => $"${System.Text.Encoding.UTF8.GetByteCount(value)}\r\n{value}\r\n";
}
