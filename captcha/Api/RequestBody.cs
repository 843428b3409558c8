using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace RedisRing.Captcha.Api;

/// <summary>
/// Reads a JSON body and turns every way it can be wrong (not JSON, malformed, too large, empty)
/// into a JSON 4xx instead of an exception.
/// </summary>
internal static class RequestBody
{
    public static async Task<(T? Value, IResult? Error)> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, ApiResults.Error(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Send the body as application/json."));
        }

        try
        {
            var value = await context.Request.ReadFromJsonAsync(type, context.RequestAborted);
            return value is null
                ? (null, ApiResults.Error(StatusCodes.Status400BadRequest, "missing-body", "The request body is empty or null."))
                : (value, null);
        }
        catch (JsonException)
        {
            return (null, ApiResults.Error(StatusCodes.Status400BadRequest, "malformed-json", "The request body is not valid JSON of the expected shape."));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiResults.Error(StatusCodes.Status413PayloadTooLarge, "body-too-large", "The request body is larger than the service accepts."));
        }
        catch (BadHttpRequestException)
        {
            return (null, ApiResults.Error(StatusCodes.Status400BadRequest, "bad-request", "The request body could not be read."));
        }
    }
}
