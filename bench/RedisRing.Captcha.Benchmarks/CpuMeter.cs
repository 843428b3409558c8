namespace RedisRing.Captcha.Benchmarks;

/// <summary>CPU seconds the service (with its child processes), its peers and this client use over one phase.</summary>
internal sealed class CpuMeter(int servicePid, IReadOnlyList<(string Name, int Pid)> others)
{
    private double[] _before = [];

    public void Start() => _before = Read();

    public IReadOnlyList<(string Name, double Seconds)> Stop()
    {
        var after = Read();
        var names = new List<string> { "service" };
        names.AddRange(others.Select(o => o.Name));
        names.Add("client");
        // Peers of one kind (the redis-servers) are summed.
        return names.Select((name, i) => (name, after[i] - _before[i]))
            .GroupBy(x => x.name)
            .Select(g => (g.Key, g.Sum(x => x.Item2)))
            .ToList();
    }

    private double[] Read()
    {
        var values = new List<double> { ProcessCpu.SecondsOfTree(servicePid) };
        values.AddRange(others.Select(o => ProcessCpu.SecondsOfTree(o.Pid)));
        values.Add(ProcessCpu.SecondsOf(Environment.ProcessId));
        return [.. values];
    }
}
