using RedisRing.Captcha.Api;
using RedisRing.Captcha.State;

namespace RedisRing.Captcha.Hosting;

/// <summary>
/// The last line of defence: whatever escapes a handler becomes a JSON error with a stable
/// code. Redis trouble is a 503; anything else a 500 without details (the log has them).
/// </summary>
internal sealed partial class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (StoreUnavailableException e) when (!context.Response.HasStarted)
        {
            LogStoreUnavailable(e.InnerException?.GetType().Name ?? "unknown", context.Request.Path);
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "store-unavailable", "The challenge store is unreachable; try again shortly.");
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, e.StatusCode, "bad-request", "The request could not be read.");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            LogUnhandled(e, context.Request.Path);
            await WriteAsync(context, StatusCodes.Status500InternalServerError, "internal-error", "Something went wrong on our side.");
        }
    }

    private static Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiError(code, message), ApiJsonContext.Default.ApiError);
    }
}
