using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Routing;
using RedisRing.Ring;

namespace RedisRing.Proxy.RingSources;

/// <summary>
/// The ring of a static <c>--node</c> list: built once at start, every node a full member. What
/// the proxy learns about each node's data (its run_id, a repair verdict) is kept in a state file
/// (<see cref="StaticNodeStateFile"/>), so that after a restart the proxy still refuses to read a
/// node that restarted, empty or from an old file, while it was down.
/// </summary>
internal sealed partial class StaticRingSource : IRingSource, IAsyncDisposable
{
    private static readonly TimeSpan s_saveInterval = TimeSpan.FromSeconds(1);

    private readonly StaticNodeStateFile? _stateFile;
    private readonly IReadOnlyList<BackendNode> _nodes;
    private readonly Dictionary<string, NodeStateRecord> _known;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _saving;
    private string? _lastSaveError;

    private StaticRingSource(StaticNodeStateFile? stateFile, IReadOnlyList<BackendNode> nodes, Dictionary<string, NodeStateRecord> known, TimeProvider time, ILogger logger)
    {
        _stateFile = stateFile;
        _nodes = nodes;
        _known = known;
        _logger = logger;
        _saving = stateFile is null ? Task.CompletedTask : Task.Run(() => SaveLoopAsync(time));
    }

    public bool IsStatic => true;

    /// <summary>Builds the table of the configured nodes, installs it and starts connecting to them.</summary>
    /// <exception cref="ArgumentException">The node list makes no valid ring.</exception>
    /// <exception cref="InvalidDataException">The state file exists but cannot be read as one.</exception>
    public static StaticRingSource Start(ProxyOptions options, CurrentRoutingTable routing, BackendNodeFactory backends, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger<StaticRingSource>();
        var hashRing = HashRing.Create(
            options.Nodes.Select(n => RingNode.FromEndpoint(n.Host, n.Port, n.Weight, n.Name)).ToList(),
            new RingOptions { Replicas = options.Replicas, HashTag = options.HashTag });
        var stateFile = options.StateFile is { } path ? new StaticNodeStateFile(path) : null;
        var known = stateFile?.Load() ?? new Dictionary<string, NodeStateRecord>(StringComparer.Ordinal);
        if (stateFile is null)
        {
            LogNoStateFile(logger);
        }

        var nodes = options.Nodes.Select(n => backends.Create(n)).ToList();
        foreach (var node in nodes)
        {
            if (known.TryGetValue(node.Endpoint.Address, out var record))
            {
                node.ExpectRunId(record.RunId);
                if (record.NeedsRepair)
                {
                    node.StartNeedingRepair(record.Reason);
                }
            }
        }

        routing.Install(RoutingTable.Static(hashRing, nodes, backends.Time), added: nodes, removed: [], TimeSpan.Zero);
        return new StaticRingSource(stateFile, nodes, known, backends.Time, logger);
    }

    public void WriteInfo(Action<string, object> line)
    {
        line("ring_source", "static");
        line("state_file", _stateFile?.Path ?? "none");
        line("state_file_error", _lastSaveError ?? "");
    }

    private async Task SaveLoopAsync(TimeProvider time)
    {
        using var timer = new PeriodicTimer(s_saveInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                SaveIfChanged();
            }
        }
        catch (OperationCanceledException)
        {
        }

        SaveIfChanged();
    }

    private void SaveIfChanged()
    {
        var changed = false;
        foreach (var node in _nodes)
        {
            if (node.RunId is not { } runId)
            {
                continue; // never connected in this run: what the file says still holds
            }

            var record = new NodeStateRecord(runId, node.NeedsRepair, node.RepairReason ?? "");
            if (!_known.TryGetValue(node.Endpoint.Address, out var before) || before != record)
            {
                _known[node.Endpoint.Address] = record;
                changed = true;
            }
        }

        if (!changed)
        {
            return;
        }

        try
        {
            _stateFile!.Save(_known);
            _lastSaveError = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (_lastSaveError is null)
            {
                LogSaveFailed(_logger, _stateFile!.Path, e.Message);
            }

            _lastSaveError = e.Message;
            foreach (var node in _nodes)
            {
                _known.Remove(node.Endpoint.Address); // try the whole file again next time
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _saving;
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No state file (--state-file none): after a restart this proxy trusts every node again, even one that restarted empty while it was down")]
    private static partial void LogNoStateFile(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot write the state file {Path}: {Error}; what this proxy knows about its nodes will not survive a restart")]
    private static partial void LogSaveFailed(ILogger logger, string path, string error);
}
