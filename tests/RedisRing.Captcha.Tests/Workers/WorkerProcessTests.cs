using System.Net;
using System.Net.Http.Json;
using RedisRing.Captcha.Api;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Captcha.Tests.Workers;

/// <summary>
/// The service as N worker processes on one port and one shared settings cache, started from the
/// built dll with a real redis-server. One class, so these process-heavy tests run one at a time.
/// </summary>
public sealed class WorkerProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private RedisServer? _redis;

    private string Redis => _redis!.Endpoint;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync(output);

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task Every_worker_sees_a_settings_change_in_the_json_file_within_the_refresh_interval()
    {
        const int RefreshSeconds = 5;
        await using var service = await CaptchaWorkers.StartAsync(output, Redis, 3, WorkerSites.Json(320), "--Settings:RefreshSeconds", RefreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var before = await ChallengeWidthsAsync(service, 3, w => w == 320);
        Assert.Equal(3, before.Count);

        var changed = DateTime.UtcNow;
        await WorkerSites.WriteAsync(service.SettingsPath, WorkerSites.Json(400));
        var after = await ChallengeWidthsAsync(service, 3, w => w == 400);
        var took = DateTime.UtcNow - changed;

        Assert.Equal(3, after.Count);
        output.WriteLine($"all 3 workers issued 400-pixel challenges {took.TotalMilliseconds:F0} ms after the file changed");
        // The refresh interval plus room for a machine shared with other builds to schedule the workers.
        Assert.True(took < TimeSpan.FromSeconds(RefreshSeconds + 3), $"took {took}");
    }

    [Fact]
    public async Task Only_the_loader_reads_the_source_so_reads_do_not_grow_with_the_number_of_workers()
    {
        string[] fastPolling = ["--Settings:RefreshSeconds", "1"];
        await using var one = await CaptchaWorkers.StartAsync(output, Redis, 1, WorkerSites.Json(320), fastPolling);
        await using var three = await CaptchaWorkers.StartAsync(output, Redis, 3, WorkerSites.Json(320), fastPolling);

        // Both services poll their source once a second: count the reads each makes in the same window.
        var oneBefore = await SourceReadsAsync(one, 1);
        var threeBefore = await SourceReadsAsync(three, 3);
        await Task.Delay(TimeSpan.FromSeconds(6));
        var oneAfter = await SourceReadsAsync(one, 1);
        var threeAfter = await SourceReadsAsync(three, 3);

        var readsByOne = oneAfter.Values.Sum() - oneBefore.Values.Sum();
        var readsByThree = threeAfter.Values.Sum() - threeBefore.Values.Sum();
        output.WriteLine($"source reads in the same 6 s: 1 worker {readsByOne}, 3 workers {readsByThree} (per worker: {string.Join(", ", threeAfter.Values)})");
        // The proof: two of the three workers never touched the source.
        Assert.Single(threeAfter.Values, reads => reads > 0);
        Assert.InRange(readsByOne, 3, 12);
        // And the host's total is that of one worker: about equal, where a read per worker would triple it.
        // (The windows are sampled a little apart on a busy machine, so "about" allows a few polls.)
        Assert.InRange(readsByThree, 2, (2 * readsByOne) - 1);
    }

    private static async Task<Dictionary<int, long>> SourceReadsAsync(CaptchaWorkers service, int workers) =>
        (await service.WaitForWorkersAsync(workers, Timeout)).ToDictionary(p => p.Key, p => p.Value.Settings!.SourceReads);

    [Fact]
    public async Task Workers_keep_serving_the_last_settings_and_report_staleness_while_the_source_is_gone()
    {
        await using var service = await CaptchaWorkers.StartAsync(output, Redis, 2, WorkerSites.Json(360),
            "--Settings:RefreshSeconds", "1", "--Settings:StaleAfterSeconds", "2");

        File.Delete(service.SettingsPath);
        var stale = await service.SampleAsync(async () =>
        {
            using var response = await service.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/healthz"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var health = (await response.Content.ReadFromJsonAsync<HealthResponse>())!;
            return (health.Pid, health);
        }, 2, h => h.Status == "degraded", Timeout);

        Assert.All(stale.Values, h =>
        {
            Assert.True(h.Settings!.Stale);
            Assert.True(h.Settings.AgeSeconds > 2, $"age {h.Settings.AgeSeconds}");
            Assert.Equal(1, h.Sites);
        });
        Assert.Contains(stale.Values, h => h.Settings!.Loader && h.Settings.Source == "failing");
        // Every worker still issues challenges with the settings loaded before the file went away.
        Assert.Equal(2, (await ChallengeWidthsAsync(service, 2, w => w == 360)).Count);
        var metrics = await service.SampleAsync(async () =>
        {
            using var response = await service.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics"));
            return (CaptchaWorkers.WorkerPid(response), await response.Content.ReadAsStringAsync());
        }, 2, text => text.Contains("\ncaptcha_settings_stale 1\n", StringComparison.Ordinal), Timeout);
        Assert.All(metrics.Values, text => Assert.Contains("captcha_settings_age_seconds ", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_restarted_worker_serves_from_the_warm_cache_without_reading_the_source()
    {
        await using var service = await CaptchaWorkers.StartAsync(output, Redis, 2, WorkerSites.Json(320));
        var before = await service.WaitForWorkersAsync(2, Timeout);
        var reader = before.Single(p => !p.Value.Settings!.Loader).Key;
        var loader = before.Single(p => p.Value.Settings!.Loader).Key;

        Kill(reader);
        var after = await service.SampleAsync(async () =>
        {
            using var response = await service.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/healthz"));
            var health = (await response.Content.ReadFromJsonAsync<HealthResponse>())!;
            return (health.Pid, health);
        }, 2, h => h.Pid != reader && h.Status == "ok", Timeout);

        var restarted = Assert.Single(after.Values, h => h.Pid != loader);
        Assert.NotEqual(reader, restarted.Pid);
        Assert.True(restarted.Settings!.Loaded);
        Assert.Equal(1, restarted.Sites);
        Assert.Equal(0, restarted.Settings.SourceReads);
        Assert.False(restarted.Settings.Loader);
        Assert.Contains("(warm start)", service.ReadLog(), StringComparison.Ordinal);
        Assert.Equal(2, (await ChallengeWidthsAsync(service, 2, w => w == 320)).Count);
    }

    [Fact]
    public async Task When_the_loader_is_killed_another_worker_takes_over_and_changes_still_reach_every_worker()
    {
        await using var service = await CaptchaWorkers.StartAsync(output, Redis, 2, WorkerSites.Json(320), "--Settings:RefreshSeconds", "2");
        var loader = (await service.WaitForWorkersAsync(2, Timeout)).Single(p => p.Value.Settings!.Loader).Key;

        Kill(loader);
        var taken = await service.SampleAsync(async () =>
        {
            using var response = await service.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/healthz"));
            var health = (await response.Content.ReadFromJsonAsync<HealthResponse>())!;
            return (health.Pid, health);
        }, 2, h => h.Pid != loader && h.Status == "ok", Timeout);
        await WorkerSites.WriteAsync(service.SettingsPath, WorkerSites.Json(480));

        Assert.Equal(2, (await ChallengeWidthsAsync(service, 2, w => w == 480)).Count);
        var now = await service.WaitForWorkersAsync(2, Timeout);
        Assert.Single(now.Values, h => h.Settings!.Loader);
        Assert.DoesNotContain(loader, now.Keys);
        Assert.Equal(2, taken.Count);
    }

    [Fact]
    public async Task A_stopped_worker_is_killed_and_replaced_while_the_other_keeps_answering()
    {
        // Long enough that the loop below sends several rounds while the worker is stopped, even on a
        // loaded machine where one request to the live worker can take most of a second.
        const int TimeoutMs = 4000;
        await using var service = await CaptchaWorkers.StartAsync(output, Redis, 2, WorkerSites.Json(320),
            "--Supervisor:HeartbeatIntervalMs", "200", "--Supervisor:HeartbeatTimeoutMs", TimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var before = await service.WaitForWorkersAsync(2, Timeout);
        var hung = before.Keys.First();
        var other = before.Keys.Single(p => p != hung);

        // SIGSTOP: the process exists, holds its port and its queued connections, and answers nothing.
        Signal(hung, "STOP");
        var stopped = DateTime.UtcNow;
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}"), Timeout = TimeSpan.FromSeconds(2) };
        int answered = 0, lost = 0, answeredByStopped = 0;
        // Four clients at once, each sending one request after another on new connections: the
        // kernel spreads connections over both workers' sockets by their addresses, so while one
        // client waits out a connection given to the stopped worker, the others reach the live one.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (CaptchaWorkers.IsAlive(hung) && DateTime.UtcNow - stopped < TimeSpan.FromSeconds(60))
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
                    request.Headers.ConnectionClose = true;
                    using var response = await client.SendAsync(request);
                    Interlocked.Increment(ref CaptchaWorkers.WorkerPid(response) == hung ? ref answeredByStopped : ref answered);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref lost); // the kernel gave this connection to the stopped worker
                }
            }
        }));

        var took = DateTime.UtcNow - stopped;
        output.WriteLine($"the stopped worker was killed {took.TotalMilliseconds:F0} ms after SIGSTOP; meanwhile {answered} requests answered by the other worker, {lost} lost to the stopped one");
        Assert.False(CaptchaWorkers.IsAlive(hung), "the stopped worker was not killed");
        Assert.InRange(took, TimeSpan.Zero, TimeSpan.FromMilliseconds(TimeoutMs) + TimeSpan.FromSeconds(10));
        Assert.True(answered > 0, "the service answered nothing while one worker was stopped");
        Assert.Equal(0, answeredByStopped);

        // The timeout runs from the worker's last heartbeat, not from the SIGSTOP: on a loaded
        // machine that heartbeat may have come well before the signal, so the kill's time after the
        // SIGSTOP has no useful lower bound. What must hold is the silence the supervisor measured.
        var verdict = System.Text.RegularExpressions.Regex.Match(service.ReadLog(), $@"\(pid {hung}\) sent no heartbeat for ([0-9.]+) ms");
        Assert.True(verdict.Success, "the supervisor did not log why it killed the stopped worker");
        Assert.True(double.Parse(verdict.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= TimeoutMs,
            $"the supervisor killed a worker silent for less than the {TimeoutMs} ms timeout: {verdict.Value}");

        var after = await service.WaitForWorkersAsync(2, Timeout);
        Assert.Contains(other, after.Keys);
        Assert.DoesNotContain(hung, after.Keys);
    }

    [Fact]
    public async Task The_supervisor_stops_its_workers_on_sigterm_and_exits_when_they_have()
    {
        await using var service = await CaptchaWorkers.StartAsync(output, Redis, 2, WorkerSites.Json(320));
        var workers = (await service.WaitForWorkersAsync(2, Timeout)).Keys.ToList();

        service.Signal("TERM");
        var code = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, code);
        Assert.All(workers, pid => Assert.False(CaptchaWorkers.IsAlive(pid), $"worker {pid} outlived the supervisor"));
        Assert.Contains("stopped with exit code 0", service.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workers_stop_by_themselves_when_the_supervisor_is_killed()
    {
        await using var service = await CaptchaWorkers.StartAsync(output, Redis, 2, WorkerSites.Json(320));
        var workers = (await service.WaitForWorkersAsync(2, Timeout)).Keys.ToList();

        // SIGKILL to the supervisor alone: nothing forwards anything; the workers see their input close.
        service.Signal("KILL");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (workers.Any(CaptchaWorkers.IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.All(workers, pid => Assert.False(CaptchaWorkers.IsAlive(pid), $"worker {pid} outlived the supervisor"));
    }

    [Fact]
    public async Task The_supervisor_gives_up_and_exits_with_code_1_when_workers_cannot_start()
    {
        // Someone else holds the port without SO_REUSEPORT: every worker fails to bind.
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var supervisor = StartDll("--workers", "1", "--urls", "http://127.0.0.1:" + port, "--Redis:Configuration", Redis, "--Supervisor:MaxQuickExits", "2");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // Read while it runs, so a full pipe never blocks it.
        var log = supervisor.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = supervisor.StandardError.ReadToEndAsync(timeout.Token);
        await supervisor.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, supervisor.ExitCode);
        Assert.Contains("exited right after starting 2 times in a row", await log, StringComparison.Ordinal);
        await errors;
    }

    [Theory]
    [InlineData("many")]
    [InlineData("-3")]
    public async Task A_bad_worker_count_exits_with_code_2_and_says_why(string workers)
    {
        using var process = StartDll("--workers", workers);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--workers must be a whole number", await errors, StringComparison.Ordinal);
        Assert.Empty(await output);
    }

    private static System.Diagnostics.Process StartDll(params string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepositoryPaths.BuiltDll("captcha", "redisring-captcha"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add("--Logging:Console:FormatterName");
        info.ArgumentList.Add("simple");
        return System.Diagnostics.Process.Start(info)!;
    }

    /// <summary>Issues challenges over new connections until <paramref name="workers"/> live workers answered one with a width <paramref name="wanted"/> accepts.</summary>
    private static async Task<Dictionary<int, int>> ChallengeWidthsAsync(CaptchaWorkers service, int workers, Func<int, bool> wanted) =>
        await service.SampleAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/challenge") { Content = JsonContent.Create(new { siteKey = WorkerSites.SiteKey }) };
            using var response = await service.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var challenge = (await response.Content.ReadFromJsonAsync<ChallengeResponse>())!;
            return (CaptchaWorkers.WorkerPid(response), challenge.Width);
        }, workers, wanted, Timeout);

    private static void Signal(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static void Kill(int pid)
    {
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        process.Kill();
    }
}
