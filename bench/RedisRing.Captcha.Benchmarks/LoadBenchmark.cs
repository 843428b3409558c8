using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RedisRing.Captcha.Hosting;
using RedisRing.Captcha.State;
using RedisRing.Captcha.Tokens;
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
    // Long enough for tiered compilation to reach its optimised code in both worker processes
    // on two busy cores: with 2 s, perf still showed instrumented and OSR code (and the JIT
    // itself at 7-10 % of the CPU) 10-18 s into a run, inflating CPU per request by up to half.
    // (--warm-up S changes it: on a machine at load average 30-45, perf showed the tiered
    // compilation thread still at a fifth of the workers' CPU 25-40 s after their start.)
    public const int DefaultWarmUpSeconds = 6;

    // The warm-up of the verify and siteverify phases may use at most this share of the seeded
    // challenges (and of the tokens earned): at ~10,000 verifies/s a 6 s warm-up alone would use
    // up 20,000 challenges and leave the measured phase nothing (what --verify-count 20000 did).
    private const int WarmUpShareDivisor = 4;

    public static async Task<LoadResult> RunAsync(LoadOptions options)
    {
        var directory = Directory.CreateTempSubdirectory("redisring-captcha-bench-").FullName;
        var settings = WriteSettings(directory, options.Format);
        RedisServer? redis = null;
        RedisRingCluster? cluster = null;
        try
        {
            string endpoint;
            var others = new List<(string Name, int Pid)>();
            if (options.Direct)
            {
                redis = await RedisServer.StartAsync();
                endpoint = redis.Endpoint;
                others.Add(("redis", redis.ProcessId!.Value));
            }
            else
            {
                cluster = await RedisRingCluster.StartAsync(null);
                endpoint = cluster.ProxyEndpoint;
                others.Add(("proxy", cluster.Proxy.ProcessId!.Value));
                others.AddRange(cluster.Nodes.Select(n => ("redis", n.ProcessId!.Value)));
            }

            // Challenge ids are signed: the service gets a known key, so that the verify phase can
            // sign the ids of the challenges it seeds (the secret is not printed below).
            var signingSecret = RandomNumberGenerator.GetBytes(SigningKeys.MinSecretBytes);
            var environment = new Dictionary<string, string>(options.ServiceEnvironment)
            {
                ["Tokens__CurrentKey"] = Convert.ToBase64String(signingSecret),
                ["Tokens__CurrentKeyId"] = "bench",
            };
            await using var service = await ServiceProcess.StartAsync(endpoint, settings, options.ServiceArguments, environment, options.ServiceDll);
            try
            {
                var label = options.Direct ? "direct to one redis-server" : "through the proxy, 3 redis-servers, 2 copies";
                Console.WriteLine($"load: {options.Clients} concurrent clients, {options.Seconds} s per phase, {label}, {options.Format}, service {options.ServiceDll ?? "built here"} args [{string.Join(' ', options.ServiceArguments)}] env [{string.Join(' ', options.ServiceEnvironment.Select(e => e.Key + "=" + e.Value))}]; load average {LoadAverage()}");
                var connections = new RawHttpConnection[options.Clients];
                for (var i = 0; i < connections.Length; i++)
                {
                    connections[i] = await RawHttpConnection.OpenAsync(service.Port);
                }

                var meter = new CpuMeter(service.ProcessId!.Value, others);
                var challenge = RawHttpConnection.BuildRequest("/api/v1/challenge", "application/json", "{\"siteKey\":\"" + SiteKey + "\"}");
                await WarmUpAsync(connections[0], challenge);
                async Task<bool?> Issue(RawHttpConnection connection)
                {
                    var (status, _) = await connection.SendAsync(challenge);
                    return status == 200;
                }

                // Every phase first runs unmeasured for a while: each worker process JITs (tiered
                // compilation, PGO) on its own, which is start-up cost, not the steady state.
                await PhaseAsync(options.WarmUpSeconds, connections, Issue);
                meter.Start();
                var issued = await PhaseAsync(options.Seconds, connections, Issue);
                var issue = Report("issue", issued, meter.Stop());

                using var redisClient = RedisConnection.Connect(endpoint);
                var signer = new TokenSigner(new SigningKeys(new SigningKey("bench", signingSecret)), TimeProvider.System);
                var ids = await SeedChallengesAsync(redisClient, signer, options.VerifyCount);
                Console.WriteLine($"  (seeded {ids.Length} challenges)");
                var track = HumanTrack(0.5);
                var next = -1;
                var verifyLimit = ids.Length / WarmUpShareDivisor;
                var tokens = new System.Collections.Concurrent.ConcurrentBag<string>();
                async Task<bool?> Verify(RawHttpConnection connection)
                {
                    var i = Interlocked.Increment(ref next);
                    if (i >= Volatile.Read(ref verifyLimit))
                    {
                        return null;
                    }

                    var request = VerifyRequest(ids[i], track);
                    var (status, body) = await connection.SendAsync(request);
                    var at = body.Span.IndexOf("\"token\":\""u8);
                    if (status != 200 || at < 0)
                    {
                        return false;
                    }

                    var rest = body.Span[(at + 9)..];
                    tokens.Add(Encoding.ASCII.GetString(rest[..rest.IndexOf((byte)'"')]));
                    return true;
                }

                await PhaseAsync(options.WarmUpSeconds, connections, Verify);
                // The counter overshoots the limit by one per connection that found the work used up.
                next = Math.Min(next, verifyLimit - 1);
                Volatile.Write(ref verifyLimit, ids.Length);
                meter.Start();
                var verified = await PhaseAsync(options.Seconds, connections, Verify);
                var verify = Report("verify", verified, meter.Stop(), options.Seconds);

                var redeem = tokens.ToArray();
                var nextToken = -1;
                var redeemLimit = redeem.Length / WarmUpShareDivisor;
                async Task<bool?> Redeem(RawHttpConnection connection)
                {
                    var i = Interlocked.Increment(ref nextToken);
                    if (i >= Volatile.Read(ref redeemLimit))
                    {
                        return null;
                    }

                    var request = RawHttpConnection.BuildRequest("/siteverify", "application/x-www-form-urlencoded", "secret=" + Secret + "&response=" + Uri.EscapeDataString(redeem[i]));
                    var (status, body) = await connection.SendAsync(request);
                    return status == 200 && body.Span.IndexOf("\"success\":true"u8) >= 0;
                }

                await PhaseAsync(options.WarmUpSeconds, connections, Redeem);
                nextToken = Math.Min(nextToken, redeemLimit - 1);
                Volatile.Write(ref redeemLimit, redeem.Length);
                meter.Start();
                var redeemed = await PhaseAsync(options.Seconds, connections, Redeem);
                var siteVerify = Report("siteverify", redeemed, meter.Stop(), options.Seconds);
                foreach (var connection in connections)
                {
                    connection.Dispose();
                }

                return new LoadResult(issue, verify, siteVerify, LoadAverage());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The service's log goes with its temporary folder: show its end (a worker the
                // supervisor replaced, an error) before it does.
                var log = service.ReadLog();
                Console.Error.WriteLine($"load run failed ({e.GetType().Name}: {e.Message}); the service's log ends with:\n{(log.Length > 6000 ? log[^6000..] : log)}");
                throw;
            }
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

    /// <summary>One loop per connection for the given time; a loop also stops when its work runs out.</summary>
    private static async Task<PhaseResult> PhaseAsync(int seconds, RawHttpConnection[] connections, Func<RawHttpConnection, Task<bool?>> operation)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var succeeded = 0;
        var failed = 0;
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double[]>();
        var started = Stopwatch.GetTimestamp();
        var finished = 0L;
        var loops = connections.Select(connection => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (!stop.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                // null: this phase's work (seeded challenges, earned tokens) is used up.
                if (await operation(connection) is not { } ok)
                {
                    break;
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

    /// <summary>Prints a phase's figures; null when it made no request (its work was used up before it began).</summary>
    private static PhaseFigures? Report(string phase, PhaseResult result, IReadOnlyList<(string Name, double Seconds)> cpu, int? plannedSeconds = null)
    {
        if (result.Succeeded + result.Failed == 0)
        {
            Console.WriteLine($"  {phase,-10} did not run: no work left after the warm-up (raise --verify-count)");
            return null;
        }

        var requests = result.Succeeded + result.Failed;
        var perRequest = string.Join(", ", cpu.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} {c.Seconds * 1e6 / requests:F0}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {phase,-10} {result.Succeeded / result.Seconds,8:F0}/s  ({result.Succeeded} ok, {result.Failed} failed in {result.Seconds:F1} s; latency median {Percentiles.Of(result.LatenciesMs, 50):F1} ms, p99 {Percentiles.Of(result.LatenciesMs, 99):F1} ms)"));
        Console.WriteLine($"             CPU us per request: {perRequest}; load average {LoadAverage()}");
        if (plannedSeconds is { } planned && result.Seconds < planned - 0.5)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"             (its work was used up after {result.Seconds:F1} of {planned} s: a larger --verify-count gives a full phase)"));
        }

        var service = cpu.First(c => c.Name == "service").Seconds * 1e6 / requests;
        return new PhaseFigures(result.Succeeded / result.Seconds, service);
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static async Task WarmUpAsync(RawHttpConnection connection, byte[] challenge)
    {
        for (var i = 0; i < 200; i++)
        {
            var (status, _) = await connection.SendAsync(challenge);
            if (status != 200)
            {
                throw new InvalidOperationException($"Warm-up challenge got HTTP {status}.");
            }
        }
    }

    /// <summary>A verify request for one challenge id.</summary>
    private static byte[] VerifyRequest(string challengeId, string track) =>
        RawHttpConnection.BuildRequest("/api/v1/verify", "application/json", "{\"challengeId\":\"" + challengeId + "\",\"offset\":0.5,\"track\":" + track + "}");

    /// <summary>Writes challenge records as the service would, solvable at x = 0.5, issued 5 s ago.</summary>
    private static async Task<string[]> SeedChallengesAsync(IConnectionMultiplexer redis, TokenSigner signer, int count)
    {
        var db = redis.GetDatabase();
        var ids = new string[count];
        var issuedAt = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds();
        var record = StoredChallenge.Encode(new ChallengeRecord(SiteKey, 0.5, issuedAt, "bench.example", null, "127.0.0.1"), TimeSpan.FromMinutes(10));
        const int Batch = 2000;
        for (var start = 0; start < count; start += Batch)
        {
            var writes = new List<Task>(Batch);
            for (var i = start; i < Math.Min(count, start + Batch); i++)
            {
                var id = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
                writes.Add(db.StringSetAsync(RedisKeys.Challenge(id), record, TimeSpan.FromMinutes(10)));
                ids[i] = signer.Sign(new TokenClaims(TokenKind.Challenge, SiteKey, id, DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(), issuedAt, "bench.example", null, "127.0.0.1", null));
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

    private static string WriteSettings(string directory, string format)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Secret)));
        var path = Path.Combine(directory, "sites.json");
        File.WriteAllText(path, "{\"sites\":[{\"siteKey\":\"" + SiteKey + "\",\"secretSha256\":\"" + hash + "\",\"allowedHostnames\":[\"bench.example\"],\"challengesPerIpPerMinute\":100000000,\"challengesPerSitePerMinute\":100000000,\"failuresPerIpPerHour\":100000000,\"tokenTtlSeconds\":600,\"imageFormat\":\"" + format + "\"}]}");
        return path;
    }
}
