using RedisRing.Captcha.Hosting;

namespace RedisRing.Captcha;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        WorkerCommandLine commandLine;
        try
        {
            commandLine = WorkerCommandLine.Parse(args);
        }
        catch (WorkerCommandLineException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        try
        {
            if (commandLine.IsWorker || commandLine.Workers == 0)
            {
                await using var app = CaptchaApplication.Build(commandLine.Arguments);
                await app.RunAsync();
                return 0;
            }

            using var supervisor = SupervisorApplication.Build(commandLine.Workers, commandLine.Arguments);
            await supervisor.RunAsync();
            return Environment.ExitCode;
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync("redisring-captcha: " + e.Message);
            return 2;
        }
    }
}
