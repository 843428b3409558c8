using System.Text.Json.Serialization.Metadata;

namespace RedisRing.Captcha.Api;

/// <summary>Shorthands for JSON responses written with the source-generated serializers.</summary>
internal static class ApiResults
{
    public static IResult Error(int status, string code, string message) =>
        Results.Json(new ApiError(code, message), ApiJsonContext.Default.ApiError, statusCode: status);

    public static IResult Json<T>(T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK) =>
        Results.Json(value, type, statusCode: status);
}
