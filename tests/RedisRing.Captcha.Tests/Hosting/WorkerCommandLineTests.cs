using RedisRing.Captcha.Hosting;

namespace RedisRing.Captcha.Tests.Hosting;

public sealed class WorkerCommandLineTests
{
    [Fact]
    public void Without_the_switch_there_is_one_worker_per_core_and_the_arguments_pass_through()
    {
        var parsed = WorkerCommandLine.Parse(["--urls", "http://127.0.0.1:1"]);

        Assert.Equal(Environment.ProcessorCount, parsed.Workers);
        Assert.False(parsed.IsWorker);
        Assert.Equal(["--urls", "http://127.0.0.1:1"], parsed.Arguments);
    }

    [Theory]
    [InlineData(new[] { "--workers", "3", "--urls", "x" }, 3)]
    [InlineData(new[] { "--urls", "x", "--workers=0" }, 0)]
    [InlineData(new[] { "--WORKERS", "256", "--urls", "x" }, 256)]
    public void The_workers_switch_is_taken_out_of_the_arguments(string[] args, int workers)
    {
        var parsed = WorkerCommandLine.Parse(args);

        Assert.Equal(workers, parsed.Workers);
        Assert.Equal(["--urls", "x"], parsed.Arguments);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("two")]
    [InlineData("257")]
    [InlineData("")]
    [InlineData("99999999999999999999")]
    public void A_bad_worker_count_is_a_typed_error(string value)
    {
        var error = Assert.Throws<WorkerCommandLineException>(() => WorkerCommandLine.Parse(["--workers", value]));
        Assert.Contains("--workers", error.Message, StringComparison.Ordinal);
        Assert.Throws<WorkerCommandLineException>(() => WorkerCommandLine.Parse(["--workers=" + value]));
    }

    [Fact]
    public void A_missing_worker_count_is_a_typed_error() =>
        Assert.Throws<WorkerCommandLineException>(() => WorkerCommandLine.Parse(["--workers"]));

    [Fact]
    public void A_process_started_by_the_supervisor_knows_it_is_a_worker() =>
        Assert.True(WorkerCommandLine.Parse(["--urls", "x", "--Worker:Index", "1"]).IsWorker);
}
