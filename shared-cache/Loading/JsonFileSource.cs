using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RedisRing.SharedCache.Loading;

/// <summary>
/// A source backed by one JSON file: an object whose properties are the records, each value stored
/// as its compact JSON text ({"site-a": {...}, "site-b": {...}}). Incremental changes are the
/// difference from the last read, and a file watch wakes the loader as soon as the file changes.
/// A file that does not parse (for example while an editor is writing it) fails that load only:
/// the loader keeps the last records and tries again.
/// </summary>
public sealed class JsonFileSource : ISharedCacheSource, IDisposable
{
    private readonly string _path;
    private readonly FileSystemWatcher _watcher;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private Dictionary<string, byte[]> _last = new(StringComparer.Ordinal);
    private long _reads;

    public JsonFileSource(string path)
    {
        _path = Path.GetFullPath(path);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!, Path.GetFileName(_path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Signal();
        _watcher.Created += (_, _) => Signal();
        _watcher.Renamed += (_, _) => Signal();
        _watcher.Deleted += (_, _) => Signal();
        _watcher.EnableRaisingEvents = true;
    }

    public async Task<SourceBatch> LoadAllAsync(CancellationToken cancellationToken)
    {
        var records = await ReadAsync(cancellationToken);
        _last = records;
        return new SourceBatch(records.Select(p => new CacheRecord(Encoding.UTF8.GetBytes(p.Key), p.Value)).ToList(), NextCursor());
    }

    public async Task<SourceChanges?> LoadChangesAsync(string? cursor, CancellationToken cancellationToken)
    {
        if (cursor != Cursor())
        {
            return null;
        }

        var records = await ReadAsync(cancellationToken);
        var changes = new List<CacheChange>();
        foreach (var (key, value) in records)
        {
            if (!_last.TryGetValue(key, out var old) || !old.AsSpan().SequenceEqual(value))
            {
                changes.Add(CacheChange.Upsert(key, value));
            }
        }

        foreach (var key in _last.Keys)
        {
            if (!records.ContainsKey(key))
            {
                changes.Add(CacheChange.Delete(key));
            }
        }

        _last = records;
        return new SourceChanges(changes, NextCursor());
    }

    public async Task WaitForChangesAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        try
        {
            await _changed.WaitAsync(maxWait, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task<Dictionary<string, byte[]>> ReadAsync(CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(_path, cancellationToken);
        using var document = JsonDocument.Parse(bytes);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{_path}: the top level must be an object of records.");
        }

        var records = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var buffer = new MemoryStream();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            buffer.SetLength(0);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                property.Value.WriteTo(writer);
            }

            records[property.Name] = buffer.ToArray();
        }

        return records;
    }

    private string Cursor() => _reads.ToString(CultureInfo.InvariantCulture);

    private string NextCursor()
    {
        _reads++;
        return Cursor();
    }

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _changed.Dispose();
    }
}
