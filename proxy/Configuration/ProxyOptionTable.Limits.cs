using static RedisRing.Proxy.Configuration.ProxyOptionType;

namespace RedisRing.Proxy.Configuration;

/// <summary>
/// The RESP request limits (<see cref="RedisRing.Resp.RespLimits"/>), checked while scanning, and
/// the smaller ones of a client that has not authenticated (<see cref="ProxyOptions.UnauthenticatedLimits"/>).
/// </summary>
internal static partial class ProxyOptionTable
{
    private static ProxyOptionDefinition[] Limits() =>
    [
        new()
        {
            Name = "maxBulkLength", Flag = "--max-bulk-length", Type = LongInteger, ValueName = "N", Default = "536870912",
            Help = "largest argument in bytes", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { Limits = o.Limits with { MaxBulkLength = v.Number } },
        },
        new()
        {
            Name = "maxArrayLength", Flag = "--max-array-length", Type = Integer, ValueName = "N", Default = "1048576",
            Help = "most arguments in one request", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { Limits = o.Limits with { MaxArrayLength = v.Int32 } },
        },
        new()
        {
            Name = "maxInlineLength", Flag = "--max-inline-length", Type = Integer, ValueName = "N", Default = "65536",
            Help = "longest inline command line in bytes", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { Limits = o.Limits with { MaxInlineLength = v.Int32 } },
        },
        new()
        {
            Name = "maxRequestLength", Flag = "--max-request-length", Type = LongInteger, ValueName = "N", Default = "1073741824",
            Help = "largest whole request in bytes", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { Limits = o.Limits with { MaxRequestLength = v.Number } },
        },
        new()
        {
            Name = "maxUnauthenticatedArrayLength", Flag = "--max-unauth-array-length", Type = Integer, ValueName = "N", Default = "10",
            Help = "most arguments in one request before AUTH", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { MaxUnauthenticatedArrayLength = v.Int32 },
        },
        new()
        {
            Name = "maxUnauthenticatedBulkLength", Flag = "--max-unauth-bulk-length", Type = LongInteger, ValueName = "N", Default = "16384",
            Help = "largest argument in bytes before AUTH", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { MaxUnauthenticatedBulkLength = v.Number },
        },
    ];
}
