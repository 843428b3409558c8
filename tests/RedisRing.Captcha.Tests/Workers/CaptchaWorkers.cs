using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using RedisRing.Captcha.Api;
using RedisRing.Testing;
using Xunit.Abstractions;

using RedisRing.Captcha.Tests.Support;

namespace RedisRing.Captcha.Tests.Workers;

/// <summary>
/// The built service as production runs it: <c>dotnet redisring-captcha.dll --workers N</c>, a
/// supervisor process and N worker processes sharing one port (SO_REUSEPORT) and one settings cache
/// file in the fixture's folder. Each request goes over a new connection, so the kernel hands it
/// to any worker; the worker names itself in the X-Captcha-Worker header and in /healthz.
/// </summary>
internal sealed class CaptchaWorkers : ServerProcess
{
    private readonly HttpClient _http;

    private CaptchaWorkers(ITestOutputHelper output, int port)
        : base($"captcha-workers-{port}", output)
    {
        Port = port;
        SettingsPath = Path.Combine(Directory, "sites.json");
        // A folder the loader creates 0700: the cache refuses a directory others can read (the process folder is 0755).
        CachePath = Path.Combine(Directory, "cache", "settings.cache");
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public int Port { get; }

    public string SettingsPath { get; }

    public string CachePath { get; }

    /// <summary>The supervisor's process id.</summary>
    public int SupervisorPid => ProcessId ?? throw new InvalidOperationException("Not running.");

    public static Task<CaptchaWorkers> StartAsync(ITestOutputHelper output, string redisEndpoint, int workers, string settingsJson, params string[] extraArguments) =>
        StartOrDisposeAsync(new CaptchaWorkers(output, LoopbackPorts.GetFree()), async service =>
        {
            await File.WriteAllTextAsync(service.SettingsPath, settingsJson);
            service.StartProcess("dotnet",
            [
                RepositoryPaths.BuiltDll("captcha", "redisring-captcha"),
                "--workers", workers.ToString(CultureInfo.InvariantCulture),
                "--urls", "http://127.0.0.1:" + service.Port.ToString(CultureInfo.InvariantCulture),
                "--Redis:Configuration", redisEndpoint,
                "--Settings:JsonPath", service.SettingsPath,
                "--Settings:SharedCachePath", service.CachePath,
                "--Images:PoolSize", "0",
                "--Demo:Enabled", "false",
                "--Logging:Console:FormatterName", "simple",
                .. TestSites.SigningKeyArguments,
                .. extraArguments,
            ]);
            await service.WaitForPortAsync(service.Port, TimeSpan.FromSeconds(90));
            await service.WaitForWorkersAsync(workers, TimeSpan.FromSeconds(90));
        });

    /// <summary>
    /// Asks /healthz over new connections until <paramref name="count"/> different live workers
    /// answered healthy; returns the latest answer of each.
    /// </summary>
    public Task<Dictionary<int, HealthResponse>> WaitForWorkersAsync(int count, TimeSpan timeout) =>
        SampleAsync(async () =>
        {
            using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/healthz"));
            var health = await response.Content.ReadFromJsonAsync<HealthResponse>();
            return (health!.Pid, health);
        }, count, h => h.Status is "ok" or "degraded", timeout);

    /// <summary>
    /// Calls <paramref name="call"/> (each call on a new connection) until <paramref name="count"/>
    /// different live workers gave an answer that satisfies <paramref name="done"/>. Workers that
    /// have exited are forgotten, so a restarted worker has to answer for itself.
    /// </summary>
    public async Task<Dictionary<int, T>> SampleAsync<T>(Func<Task<(int Pid, T Answer)>> call, int count, Func<T, bool> done, TimeSpan timeout)
    {
        var latest = new Dictionary<int, T>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var (pid, answer) = await call();
                latest[pid] = answer;
            }
            catch (HttpRequestException)
            {
                // A worker that is being killed or restarted resets its connections.
            }
            catch (TaskCanceledException) when (DateTime.UtcNow < deadline)
            {
                // One request outlasted the client's timeout on a starved machine: ask again.
            }

            foreach (var pid in latest.Keys.Where(p => !IsAlive(p)).ToList())
            {
                latest.Remove(pid);
            }

            if (latest.Count(p => done(p.Value)) >= count)
            {
                return latest.Where(p => done(p.Value)).ToDictionary(p => p.Key, p => p.Value);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {latest.Count(p => done(p.Value))} of {count} workers answered as expected within {timeout}: "
                    + string.Join("; ", latest.Select(p => $"pid {p.Key}: {JsonSerializer.Serialize(p.Value)}")) + "\n" + ReadLog());
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Sends a request on a connection of its own (closed after the response).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        request.Headers.ConnectionClose = true;
        return _http.SendAsync(request);
    }

    /// <summary>The pid in the X-Captcha-Worker header ("index/pid").</summary>
    public static int WorkerPid(HttpResponseMessage response) =>
        int.Parse(response.Headers.GetValues("X-Captcha-Worker").Single().Split('/')[1], CultureInfo.InvariantCulture);

    public static bool IsAlive(int pid)
    {
        // A zombie (exited, not yet reaped) still has a /proc entry: look at its state.
        var stat = Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture), "stat");
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync();
    }
}
