using RedisRing.Captcha.Hosting;

namespace RedisRing.Captcha.Api;

/// <summary><c>GET /widget/captcha.js</c> and <c>/widget/captcha.css</c>: the embeddable widget.</summary>
internal static class AssetEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/widget/{file}", (string file, HttpContext context, EmbeddedAssets assets) => Serve(context, assets, "widget/" + file))
            .WithTags("Widget")
            .WithSummary("The widget's JavaScript (captcha.js) and stylesheet (captcha.css).");
    }

    public static IResult Serve(HttpContext context, EmbeddedAssets assets, string path)
    {
        if (!assets.TryGet(path, out var asset))
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, "not-found", "No such file.");
        }

        context.Response.Headers.ETag = asset.ETag;
        context.Response.Headers.CacheControl = "public, max-age=300";
        // The widget is embedded by other sites' pages: its files may be loaded cross-origin.
        context.Response.Headers.AccessControlAllowOrigin = "*";
        return context.Request.Headers.IfNoneMatch == asset.ETag
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(asset.Content, asset.ContentType);
    }
}
