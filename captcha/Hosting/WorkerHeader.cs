using System.Globalization;

namespace RedisRing.Captcha.Hosting;

/// <summary>
/// Names the worker that answered (<c>X-Captcha-Worker: index/pid</c>). Behind one shared port a
/// client cannot otherwise tell the workers apart; operators and the end-to-end tests use it to
/// check each worker. It tells nothing secret: a slot number and a process id.
/// </summary>
internal static class WorkerHeader
{
    public const string Name = "X-Captcha-Worker";

    public static void Use(WebApplication app, int index)
    {
        var value = index.ToString(CultureInfo.InvariantCulture) + "/" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        app.Use((context, next) =>
        {
            context.Response.Headers[Name] = value;
            return next(context);
        });
    }
}
