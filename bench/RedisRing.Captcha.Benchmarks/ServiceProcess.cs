using System.Globalization;
using RedisRing.Testing;

namespace RedisRing.Captcha.Benchmarks;

/// <summary>The built captcha service as its own process, as it runs in production.</summary>
internal sealed class ServiceProcess : ServerProcess
{
    private ServiceProcess(int port)
        : base($"captcha-{port}", null)
    {
        Port = port;
    }

    public int Port { get; }

    public static async Task<ServiceProcess> StartAsync(string redisEndpoint, string settingsPath, IEnumerable<string> extraArguments, IDictionary<string, string> environment, string? serviceDll = null)
    {
        var service = new ServiceProcess(LoopbackPorts.GetFree());
        service.StartProcess("dotnet",
        [
            serviceDll ?? RepositoryPaths.BuiltDll("captcha", "redisring-captcha"),
            "--urls", "http://127.0.0.1:" + service.Port.ToString(CultureInfo.InvariantCulture),
            "--Redis:Configuration", redisEndpoint,
            "--Settings:JsonPath", settingsPath,
            "--Logging:LogLevel:Default", "Warning",
            .. extraArguments,
        ], environment);
        await service.WaitForPortAsync(service.Port, TimeSpan.FromSeconds(30));
        return service;
    }
}
