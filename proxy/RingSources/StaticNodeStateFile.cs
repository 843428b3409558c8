using System.Text.Json;

namespace RedisRing.Proxy.RingSources;

/// <summary>
/// What a proxy with a static node list knows about its nodes' data, kept across its restarts:
/// the run_id each node's data belongs to and whether it needs a repair. Without it, a proxy
/// restarted after a node restarted empty would trust the empty node (docs/consistency.md,
/// "Static node lists"). Written whole to a temporary file and renamed over the old one, so a
/// crash mid-write leaves the previous version.
/// <c>{"version":1,"nodes":{"127.0.0.1:7001":{"runId":"...","needsRepair":false,"reason":""}}}</c>
/// </summary>
internal sealed class StaticNodeStateFile(string path)
{
    public string Path { get; } = path;

    /// <summary>The nodes' records by address; empty when the file does not exist yet.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a state file (never trusted partly).</exception>
    public Dictionary<string, NodeStateRecord> Load()
    {
        if (!File.Exists(Path))
        {
            return new Dictionary<string, NodeStateRecord>(StringComparer.Ordinal);
        }

        try
        {
            var document = JsonSerializer.Deserialize(File.ReadAllBytes(Path), StateFileJson.Default.StateDocument);
            if (document is not { Version: >= 1, Nodes: not null })
            {
                throw new InvalidDataException($"{Path} is not a RedisRing proxy state file");
            }

            return new Dictionary<string, NodeStateRecord>(document.Nodes, StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Path} is not a RedisRing proxy state file: {e.Message}", e);
        }
    }

    public void Save(IReadOnlyDictionary<string, NodeStateRecord> nodes)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path + ".tmp";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new StateDocument(1, new SortedDictionary<string, NodeStateRecord>((IDictionary<string, NodeStateRecord>)nodes, StringComparer.Ordinal)),
            StateFileJson.Default.StateDocument);
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
