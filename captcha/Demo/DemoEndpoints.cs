using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using RedisRing.Captcha.Hosting;

namespace RedisRing.Captcha.Demo;

/// <summary>
/// A stand-in for a customer's website: a page with a form protected by the widget
/// (<c>GET /demo/</c>) and its backend handler (<c>POST /demo/submit</c>), which redeems the
/// token through <c>/siteverify</c> over HTTP exactly as a real site's backend would.
/// </summary>
internal static class DemoEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect("/demo/")).ExcludeFromDescription();
        app.MapGet("/demo/", (EmbeddedAssets assets, IOptions<DemoOptions> options) =>
        {
            assets.TryGet("demo/index.html", out var page);
            var html = Encoding.UTF8.GetString(page.Content).Replace("{{SITE_KEY}}", WebUtility.HtmlEncode(options.Value.SiteKey), StringComparison.Ordinal);
            return Results.Content(html, "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        app.MapPost("/demo/submit", SubmitAsync).ExcludeFromDescription().DisableAntiforgery();
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, IHttpClientFactory clients, IServer server, IOptions<DemoOptions> options)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var name = form["name"].ToString();
        var token = form["rr-captcha-response"].ToString();
        var url = options.Value.SiteVerifyUrl ?? OwnAddress(server) + "/siteverify";
        using var client = clients.CreateClient("demo");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["secret"] = options.Value.Secret,
            ["response"] = token,
        });
        using var reply = await client.PostAsync(new Uri(url), content, context.RequestAborted);
        using var json = await JsonDocument.ParseAsync(await reply.Content.ReadAsStreamAsync(context.RequestAborted), cancellationToken: context.RequestAborted);
        var success = json.RootElement.TryGetProperty("success", out var s) && s.GetBoolean();
        var codes = json.RootElement.TryGetProperty("error-codes", out var c) ? string.Join(", ", c.EnumerateArray().Select(e => e.GetString())) : string.Empty;
        // What a real site would weigh: how the captcha was answered, and that answer's score.
        var input = json.RootElement.TryGetProperty("input", out var i) ? i.GetString() ?? string.Empty : string.Empty;
        var score = json.RootElement.TryGetProperty("score", out var sc) ? sc.GetDouble().ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        var body = success
            ? $"<h1 id=\"result\" data-result=\"accepted\" data-input=\"{WebUtility.HtmlEncode(input)}\" data-score=\"{score}\">Accepted</h1><p>Thank you, {WebUtility.HtmlEncode(name)}: the captcha was solved ({WebUtility.HtmlEncode(input)}, score {score}).</p>"
            : $"<h1 id=\"result\" data-result=\"refused\">Refused</h1><p>siteverify said: {WebUtility.HtmlEncode(codes)}</p>";
        return Results.Content(
            $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Demo result</title></head><body>{body}<p><a href=\"/demo/\">Back</a></p></body></html>",
            "text/html; charset=utf-8",
            statusCode: success ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static string OwnAddress(IServer server)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("The demo needs an http:// address or Demo:SiteVerifyUrl.");
        var uri = new Uri(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal));
        return uri.GetLeftPart(UriPartial.Authority);
    }
}
