using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using RedisRing.Registrar.Commands;
using RedisRing.Registrar.Configuration;
using RedisRing.ZooKeeper;

namespace RedisRing.Registrar;

internal static class Program
{
    private const string Usage = """
        usage: redisring-registrar [run] --redis HOST:PORT --zookeeper CONNECT --cluster NAME --zk-auth USER:PASS [options]
               redisring-registrar create-cluster --zookeeper CONNECT --cluster NAME --zk-auth USER:PASS --proxy-auth USER:PASS --node HOST:PORT ...
               redisring-registrar promote --zookeeper CONNECT --cluster NAME --zk-auth USER:PASS --node HOST:PORT
               redisring-registrar remove --zookeeper CONNECT --cluster NAME --zk-auth USER:PASS --node HOST:PORT
               redisring-registrar check --zookeeper CONNECT --cluster NAME --zk-auth USER:PASS [--redis-password P] [--examples N]
               redisring-registrar repair-status --zookeeper CONNECT --cluster NAME --zk-auth USER:PASS [--follow] [--timeout-s N]
               redisring-registrar drain --zookeeper CONNECT --cluster NAME --zk-auth USER:PASS --node HOST:PORT [--follow] [--timeout-s N]
        The cluster commands run ringctl's, which has more (status, ring, where): docs/ringctl.md.
        (docs/zookeeper.md)
        """;

    private static async Task<int> Main(string[] args)
    {
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("REDISRING_LOG_LEVEL"), ignoreCase: true, out var parsed) ? parsed : LogLevel.Information;
        using var loggerFactory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            }));
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "run";
        var rest = command == "run" && (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) ? args : args[1..];
        try
        {
            return command switch
            {
                "run" => await RunCommand.RunAsync(rest, loggerFactory, stop.Token),
                // The cluster commands are ringctl's (docs/ringctl.md).
                _ when ClusterCommands.Names.Contains(command) => await ClusterCommands.RunAsync(command, rest, stop.Token),
                _ => throw new ConfigurationException($"unknown command '{command}'"),
            };
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync("redisring-registrar: " + e.Message + "\n" + Usage);
            return 2;
        }
        catch (AuthFailedException)
        {
            await Console.Error.WriteLineAsync("redisring-registrar: ZooKeeper refused the credential");
            return 2;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
