using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace RedisRing.LargeTransfer.Benchmarks;

/// <summary>
/// The client of bench/large-transfers.sh: one workload against several RESP servers per run.
///   lrange KEY COUNT ROUNDS NAME=PORT...   through each server: DEL, RPUSH COUNT 10-byte elements
///                                          in commands of 10,000 (timed once after a warm-up:
///                                          "fill"); then
///                                          LRANGE 0 -1, each reply read to its end and checked
///   value KEY MB ROUNDS NAME=PORT...       SET an MB-megabyte value through each server, then GET
///                                          it back (checked)
/// Each server's key is KEY:NAME. Every measured command runs once untimed through each server
/// (warm-up), then ROUNDS rounds go through the servers one after the other, in an order rotated
/// from round to round, so that a slow stretch of a shared machine falls on all of them alike.
/// Each command must be answered completely within LARGE_TRANSFER_DEADLINE_S seconds (default 30).
/// Prints one line per measurement and server, "OP NAME ok MEDIAN_MS SAMPLE_MS..." or
/// "OP NAME fail REASON"; a server's first failure ends its measurement (its connection is dropped).
/// </summary>
internal static class Program
{
    private const int ElementLength = 10;
    private const int PushBatch = 10_000;

    private static int Main(string[] args)
    {
        var targets = new List<Target>();
        var deadline = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("LARGE_TRANSFER_DEADLINE_S") ?? "30", CultureInfo.InvariantCulture));
        foreach (var spec in args.Skip(4))
        {
            var parts = spec.Split('=');
            if (parts.Length != 2 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var targetPort))
            {
                targets.Clear();
                break;
            }

            targets.Add(new Target(parts[0], targetPort, deadline));
        }

        if (args.Length < 5 || args[0] is not ("lrange" or "value") || targets.Count == 0
            || !int.TryParse(args[2], CultureInfo.InvariantCulture, out var size) || size <= 0
            || !int.TryParse(args[3], CultureInfo.InvariantCulture, out var rounds) || rounds <= 0)
        {
            Console.Error.WriteLine("usage: lrange KEY COUNT ROUNDS NAME=PORT... | value KEY MB ROUNDS NAME=PORT...");
            return 2;
        }

        try
        {
            if (args[0] == "lrange")
            {
                Lrange(targets, args[1], size, rounds);
            }
            else
            {
                Value(targets, args[1], size, rounds);
            }
        }
        finally
        {
            foreach (var target in targets)
            {
                Cleanup(target);
                target.Drop();
            }
        }

        return 0;
    }

    private static void Lrange(List<Target> targets, string key, int count, int rounds)
    {
        // The fill runs twice too (it starts with DEL): the first one also warms up the client itself.
        var filled = Measure(targets, "fill", 1, warmUp: true, (target, connection) =>
        {
            var name = Encoding.UTF8.GetBytes(target.Key(key));
            connection.Send(Command("DEL"u8.ToArray(), name));
            connection.ReadInteger();
            for (var first = 0; first < count; first += PushBatch)
            {
                var batch = Math.Min(PushBatch, count - first);
                var arguments = new byte[batch + 2][];
                arguments[0] = "RPUSH"u8.ToArray();
                arguments[1] = name;
                for (var i = 0; i < batch; i++)
                {
                    // v000000042: ten bytes, each element its own.
                    arguments[i + 2] = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"v{first + i:D9}"));
                }

                connection.Send(Command(arguments));
                var length = connection.ReadInteger();
                if (length != first + batch)
                {
                    throw new TransferFailedException($"RPUSH left {length} elements instead of {first + batch}");
                }
            }
        });
        foreach (var target in targets.Where(t => !filled.Contains(t)))
        {
            Console.WriteLine($"lrange {target.Name} fail not measured: the list could not be written");
        }

        var commands = targets.ToDictionary(t => t, t => Command("LRANGE", t.Key(key), "0", "-1"));
        Measure(filled, "lrange", rounds, warmUp: true, (target, connection) =>
        {
            connection.Send(commands[target]);
            connection.ReadList(count, ElementLength);
        });
    }

    private static void Value(List<Target> targets, string key, int megabytes, int rounds)
    {
        var value = new byte[megabytes * 1024 * 1024];
        for (var i = 0; i < value.Length; i++)
        {
            value[i] = (byte)('a' + (i % 26));
        }

        var sets = targets.ToDictionary(t => t, t =>
        {
            var name = t.Key(key);
            var head = Encoding.UTF8.GetBytes($"*3\r\n$3\r\nSET\r\n${Encoding.UTF8.GetByteCount(name)}\r\n{name}\r\n${value.Length}\r\n");
            var set = new byte[head.Length + value.Length + 2];
            head.CopyTo(set, 0);
            value.CopyTo(set, head.Length);
            "\r\n"u8.CopyTo(set.AsSpan(head.Length + value.Length));
            return set;
        });
        Measure(targets, "set", rounds, warmUp: true, (target, connection) =>
        {
            connection.Send(sets[target]);
            connection.ReadOk();
        });
        sets.Clear();

        // GET runs through every server, also one whose SETs failed: what it then answers is the finding.
        var gets = targets.ToDictionary(t => t, t => Command("GET", t.Key(key)));
        var received = new byte[value.Length];
        Measure(targets, "get", rounds, warmUp: true, (target, connection) =>
        {
            connection.Send(gets[target]);
            connection.ReadBulk(received);
        }, check: () =>
        {
            if (!received.AsSpan().SequenceEqual(value))
            {
                throw new TransferFailedException("GET returned other bytes than were SET");
            }

            Array.Clear(received);
        });
    }

    /// <summary>
    /// Runs <paramref name="command"/> once untimed through each target (with
    /// <paramref name="warmUp"/>), then <paramref name="rounds"/> timed rounds through the
    /// targets in rotated order, and prints a result line per target. <paramref name="check"/>
    /// runs after each timing has stopped. Returns the targets that never failed.
    /// </summary>
    private static List<Target> Measure(List<Target> targets, string op, int rounds, bool warmUp, Action<Target, RespConnection> command, Action? check = null)
    {
        var samples = targets.ToDictionary(t => t, _ => new List<double>());
        var failures = new Dictionary<Target, string>();
        var warmUps = new Dictionary<Target, double>();
        for (var round = warmUp ? -1 : 0; round < rounds; round++)
        {
            var start = Math.Max(0, round) % targets.Count;
            foreach (var target in targets[start..].Concat(targets[..start]).Where(t => !failures.ContainsKey(t)))
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var connection = target.Connection();
                    connection.BeginCommand();
                    started = Stopwatch.GetTimestamp();
                    command(target, connection);
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    check?.Invoke();
                    if (round >= 0)
                    {
                        samples[target].Add(elapsed.TotalMilliseconds);
                    }
                    else
                    {
                        warmUps[target] = elapsed.TotalMilliseconds;
                    }
                }
                catch (TransferFailedException e)
                {
                    target.Drop();
                    var which = round < 0 ? "the warm-up" : $"round {round + 1} of {rounds}";
                    var reason = e.Message.Replace('|', '/').Replace('\r', ' ').Replace('\n', ' ');
                    // What completed before the failure: a slow target is told from a broken one.
                    var done = (warmUps.TryGetValue(target, out var w) ? [$"warm-up {w:0}"] : new List<string>())
                        .Concat(samples[target].Select(x => x.ToString("0", CultureInfo.InvariantCulture))).ToList();
                    var before = done.Count > 0 ? $"; completed before it: {string.Join(", ", done)} ms" : string.Empty;
                    failures[target] = string.Create(CultureInfo.InvariantCulture, $"{reason} ({which}, after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s{before})");
                }
            }
        }

        foreach (var target in targets)
        {
            if (failures.TryGetValue(target, out var failure))
            {
                Console.WriteLine($"{op} {target.Name} fail {failure}");
                continue;
            }

            var sorted = samples[target].Order().ToList();
            var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
            var each = string.Join(' ', samples[target].Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{op} {target.Name} ok {median:0.00} {each}"));
        }

        return [.. targets.Where(t => !failures.ContainsKey(t))];
    }

    /// <summary>Deletes the target's key so that the servers do not keep it; a failure here is not reported.</summary>
    private static void Cleanup(Target target)
    {
        foreach (var key in target.KeysUsed)
        {
            try
            {
                var connection = target.Connection();
                connection.BeginCommand();
                connection.Send(Command("DEL", key));
                connection.ReadInteger();
            }
            catch (TransferFailedException)
            {
                target.Drop();
            }
        }
    }

    private static byte[] Command(params string[] arguments) => Command(arguments.Select(Encoding.UTF8.GetBytes).ToArray());

    private static byte[] Command(params byte[][] arguments)
    {
        using var output = new MemoryStream();
        output.Write(Encoding.ASCII.GetBytes($"*{arguments.Length}\r\n"));
        foreach (var argument in arguments)
        {
            output.Write(Encoding.ASCII.GetBytes($"${argument.Length}\r\n"));
            output.Write(argument);
            output.Write("\r\n"u8);
        }

        return output.ToArray();
    }

    /// <summary>A server under test: one connection, opened again after a failure dropped it.</summary>
    private sealed class Target(string name, int port, TimeSpan deadline)
    {
        private RespConnection? _connection;

        public string Name => name;

        public HashSet<string> KeysUsed { get; } = [];

        /// <summary>This target's own key (RedisRing and nutcracker share the nodes and placement).</summary>
        public string Key(string key)
        {
            var own = $"{key}:{name}";
            KeysUsed.Add(own);
            return own;
        }

        public RespConnection Connection() => _connection ??= RespConnection.Open(port, deadline);

        public void Drop()
        {
            _connection?.Dispose();
            _connection = null;
        }
    }
}
