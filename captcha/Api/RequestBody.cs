using System.Buffers;
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
        catch (Exception e) when (ErrorFor(e) is { } result)
        {
            return (null, result);
        }
    }

    /// <summary>
    /// Reads the whole body (Kestrel's size limit applies) and hands it to a synchronous parser
    /// that throws <see cref="JsonException"/> for a body of the wrong shape; no stream, no
    /// per-property objects.
    /// </summary>
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context, Func<ReadOnlySequence<byte>, T?> parse)
        where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, ApiResults.Error(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Send the body as application/json."));
        }

        var body = context.Request.BodyReader;
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(context.RequestAborted);
                if (!read.IsCompleted)
                {
                    // Nothing consumed, everything examined: wake up when more has arrived.
                    body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                    continue;
                }

                try
                {
                    var value = parse(read.Buffer);
                    return value is null
                        ? (null, ApiResults.Error(StatusCodes.Status400BadRequest, "missing-body", "The request body is empty or null."))
                        : (value, null);
                }
                finally
                {
                    body.AdvanceTo(read.Buffer.End);
                }
            }
        }
        catch (Exception e) when (ErrorFor(e) is { } result)
        {
            return (null, result);
        }
    }

    private static IResult? ErrorFor(Exception e) => e switch
    {
        JsonException => ApiResults.Error(StatusCodes.Status400BadRequest, "malformed-json", "The request body is not valid JSON of the expected shape."),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => ApiResults.Error(StatusCodes.Status413PayloadTooLarge, "body-too-large", "The request body is larger than the service accepts."),
        BadHttpRequestException => ApiResults.Error(StatusCodes.Status400BadRequest, "bad-request", "The request body could not be read."),
        _ => null,
    };
}
