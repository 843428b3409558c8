using Microsoft.AspNetCore.Http;

namespace RedisRing.Proxy.Admin;

/// <summary>The dashboard's static files (proxy/Admin/Dashboard), embedded in the assembly: no CDN, no build step.</summary>
internal static class DashboardFiles
{
    public static readonly string[] Names = ["dashboard.html", "dashboard.js", "dashboard.css"];

    public static IResult Serve(string name)
    {
        var stream = typeof(DashboardFiles).Assembly.GetManifestResourceStream("RedisRing.Proxy.Admin.Dashboard." + name);
        if (stream is null)
        {
            return Results.NotFound();
        }

        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            _ => "text/css; charset=utf-8",
        };
        return Results.Stream(stream, type);
    }
}
