using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RedisRing.Captcha.Hosting;
using RedisRing.Testing;
using StackExchange.Redis;

namespace RedisRing.Captcha.Benchmarks;

/// <summary>
/// Whole-service throughput on loopback: the service process, the proxy, the redis-servers and
/// this client share the machine's cores. Three phases, each with C concurrent clients:
/// issue (POST /api/v1/challenge), verify (POST /api/v1/verify, correct human answers to
/// challenges seeded straight into Redis, because issuing that many through the API would only
/// measure rendering again) and siteverify (redeeming the tokens the verify phase earned).
/// </summary>
internal static class LoadBenchmark
{
    private const string SiteKey = "bench-site";
    private const string Secret = "bench-secret";
    private const string Origin = "http://bench.example";

    public static async Task RunAsync(int seconds, int clients, bool direct)
    {
        var directory = Directory.CreateTempSubdirectory("redisring-captcha-bench-").FullName;
        var settings = WriteSettings(directory);
        RedisServer? redis = null;
        RedisRingCluster? cluster = null;
        try
        {
            string endpoint;
            if (direct)
            {
                redis = await RedisServer.StartAsync();
                endpoint = redis.Endpoint;
            }
            else
            {
                cluster = await RedisRingCluster.StartAsync(null);
                endpoint = cluster.ProxyEndpoint;
            }

            await using var service = await ServiceProcess.StartAsync(endpoint, settings);
            using var http = CreateClient(service.Port);
            var label = direct ? "direct to one redis-server" : "through the proxy, 3 redis-servers, 2 copies";
            Console.WriteLine($"load: {clients} concurrent clients, {seconds} s per phase, {label}");

            await WarmUpAsync(http);
            var issued = await PhaseAsync(seconds, clients, async (_, _) =>
            {
                using var content = new StringContent("{\"siteKey\":\"" + SiteKey + "\"}", Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(new Uri("/api/v1/challenge", UriKind.Relative), content);
                await response.Content.ReadAsByteArrayAsync();
                return response.StatusCode == HttpStatusCode.OK;
            });
            Report("issue", issued);

            using var redisClient = RedisConnection.Connect(endpoint);
            var ids = await SeedChallengesAsync(redisClient, 100_000);
            var track = HumanTrack(0.5);
            var next = -1;
            var tokens = new System.Collections.Concurrent.ConcurrentBag<string>();
            var verified = await PhaseAsync(seconds, clients, async (_, _) =>
            {
                var i = Interlocked.Increment(ref next);
                if (i >= ids.Length)
                {
                    return null;
                }

                using var content = new StringContent("{\"challengeId\":\"" + ids[i] + "\",\"offset\":0.5,\"track\":" + track + "}", Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(new Uri("/api/v1/verify", UriKind.Relative), content);
                var body = await response.Content.ReadAsByteArrayAsync();
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("token", out var token))
                {
                    tokens.Add(token.GetString()!);
                    return true;
                }

                return false;
            });
            Report("verify", verified);

            var redeem = tokens.ToArray();
            var nextToken = -1;
            var redeemed = await PhaseAsync(seconds, clients, async (_, _) =>
            {
                var i = Interlocked.Increment(ref nextToken);
                if (i >= redeem.Length)
                {
                    return null;
                }

                using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["secret"] = Secret, ["response"] = redeem[i] });
                using var response = await http.PostAsync(new Uri("/siteverify", UriKind.Relative), content);
                var body = await response.Content.ReadAsStringAsync();
                return body.Contains("\"success\":true", StringComparison.Ordinal);
            });
            Report("siteverify", redeemed);
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }

            if (redis is not null)
            {
                await redis.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed record PhaseResult(int Succeeded, int Failed, double Seconds, double[] LatenciesMs);

    /// <summary>Runs <paramref name="clients"/> loops for the given time; a loop also stops when its work runs out.</summary>
    private static async Task<PhaseResult> PhaseAsync(int seconds, int clients, Func<int, CancellationToken, Task<bool?>> operation)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var succeeded = 0;
        var failed = 0;
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double[]>();
        var started = Stopwatch.GetTimestamp();
        var finished = 0L;
        var loops = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (!stop.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    // null: this phase's work (seeded challenges, earned tokens) is used up.
                    if (await operation(client, stop.Token) is not { } result)
                    {
                        break;
                    }

                    ok = result;
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }

                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (ok)
                {
                    Interlocked.Increment(ref succeeded);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    if (Volatile.Read(ref failed) > 1000 && Volatile.Read(ref succeeded) == 0)
                    {
                        break;
                    }
                }
            }

            latencies.Add([.. mine]);
            // The phase lasts until the last client stops (time up, or work used up).
            Interlocked.Exchange(ref finished, Stopwatch.GetTimestamp());
        })).ToList();
        await Task.WhenAll(loops);
        var elapsed = Stopwatch.GetElapsedTime(started, Interlocked.Read(ref finished)).TotalSeconds;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new PhaseResult(succeeded, failed, elapsed, all);
    }

    private static void Report(string phase, PhaseResult result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {phase,-10} {result.Succeeded / result.Seconds,8:F0}/s  ({result.Succeeded} ok, {result.Failed} failed in {result.Seconds:F1} s; latency median {Percentiles.Of(result.LatenciesMs, 50):F1} ms, p99 {Percentiles.Of(result.LatenciesMs, 99):F1} ms)"));

    private static HttpClient CreateClient(int port)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1000, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseCookies = false };
        var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("Origin", Origin);
        return http;
    }

    private static async Task WarmUpAsync(HttpClient http)
    {
        for (var i = 0; i < 200; i++)
        {
            using var content = new StringContent("{\"siteKey\":\"" + SiteKey + "\"}", Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri("/api/v1/challenge", UriKind.Relative), content);
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Writes challenge records as the service would, solvable at x = 0.5, issued 5 s ago.</summary>
    private static async Task<string[]> SeedChallengesAsync(IConnectionMultiplexer redis, int count)
    {
        var db = redis.GetDatabase();
        var ids = new string[count];
        var issuedAt = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds();
        var record = "{\"siteKey\":\"" + SiteKey + "\",\"x\":0.5,\"issuedAtMs\":" + issuedAt.ToString(CultureInfo.InvariantCulture) + ",\"hostname\":\"bench.example\",\"action\":null,\"clientIp\":\"127.0.0.1\"}";
        const int Batch = 2000;
        for (var start = 0; start < count; start += Batch)
        {
            var writes = new List<Task>(Batch);
            for (var i = start; i < Math.Min(count, start + Batch); i++)
            {
                ids[i] = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
                writes.Add(db.StringSetAsync("rrc:ch:" + ids[i], record, TimeSpan.FromMinutes(10)));
            }

            await Task.WhenAll(writes);
        }

        return ids;
    }

    /// <summary>The same kind of eased, wobbly drag the tests use, as a JSON array.</summary>
    private static string HumanTrack(double offset)
    {
        var builder = new StringBuilder("[");
        for (var i = 0; i < 40; i++)
        {
            var p = i / 39.0;
            var x = 0.05 + (offset * (1 - Math.Pow(1 - p, 3)));
            var y = 0.5 + (0.006 * Math.Sin(p * 5)) + (0.001 * (i % 3));
            var t = (900 * p) + (i % 4);
            builder.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : "")}{{\"x\":{x:F4},\"y\":{y:F4},\"t\":{t:F1}}}");
        }

        return builder.Append(']').ToString();
    }

    private static string WriteSettings(string directory)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Secret)));
        var path = Path.Combine(directory, "sites.json");
        File.WriteAllText(path, "{\"sites\":[{\"siteKey\":\"" + SiteKey + "\",\"secretSha256\":\"" + hash + "\",\"allowedHostnames\":[\"bench.example\"],\"challengesPerIpPerMinute\":100000000,\"challengesPerSitePerMinute\":100000000,\"failuresPerIpPerHour\":100000000,\"tokenTtlSeconds\":600}]}");
        return path;
    }
}
