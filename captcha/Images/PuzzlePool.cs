using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace RedisRing.Captcha.Images;

/// <summary>
/// Challenges rendered ahead of time by background threads, so a request usually only takes
/// one from a queue instead of spending milliseconds encoding images. The secret position lives
/// only in this process's memory until the challenge is issued. When a pool is empty (a burst
/// outran the renderers) the request renders its own.
/// With <see cref="PuzzleOptions.MaxServesPerImage"/> above 1, a taken puzzle goes back to the
/// end of its queue until it has been issued that many times, so its copies are spread over the
/// pool's length of other challenges instead of going to one client in a row.
/// </summary>
internal sealed class PuzzlePool(IOptions<PuzzleOptions> options)
{
    private readonly ConcurrentDictionary<PuzzleLook, Channel<PoolEntry>> _pools = new();

    public int Capacity { get; } = Math.Max(0, options.Value.PoolSize);

    public int MaxServesPerImage { get; } = Math.Max(1, options.Value.MaxServesPerImage);

    /// <summary>The looks requested so far: the filler keeps a pool for each.</summary>
    public ICollection<PuzzleLook> Looks => _pools.Keys;

    public PooledPuzzle Take(PuzzleLook look)
    {
        if (Capacity == 0)
        {
            return Render(look);
        }

        var pool = _pools.GetOrAdd(look, _ => Channel.CreateBounded<PoolEntry>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait }));
        if (pool.Reader.TryRead(out var entry))
        {
            if (entry.ServesLeft > 1)
            {
                // A full pool drops the entry: the limit is an upper bound, never exceeded.
                pool.Writer.TryWrite(entry with { ServesLeft = entry.ServesLeft - 1 });
            }

            return entry.Puzzle;
        }

        var fresh = Render(look);
        if (MaxServesPerImage > 1)
        {
            pool.Writer.TryWrite(new PoolEntry(fresh, MaxServesPerImage - 1));
        }

        return fresh;
    }

    /// <summary>Renders one challenge into the look's pool; false when the pool is already full.</summary>
    public bool FillOne(PuzzleLook look) =>
        _pools.TryGetValue(look, out var pool) && pool.Reader.Count < Capacity && pool.Writer.TryWrite(new PoolEntry(Render(look), MaxServesPerImage));

    public PooledPuzzle Render(PuzzleLook look)
    {
        var size = PuzzleShape.SizeFor(look.Height);
        // The secret position comes from the OS CSPRNG: a predictable x would be a solved captcha.
        // The real hole is a uniformly random member of a uniformly random set of holes on one
        // row (GapPlacement), so neither its place in the row nor its spacing gives it away.
        var holes = GapPlacement.Choose(look.Width, size, look.Decoys + 1, RandomNumberGenerator.GetInt32);
        var real = RandomNumberGenerator.GetInt32(holes.Length);
        var x = holes[real];
        var y = RandomNumberGenerator.GetInt32(4, look.Height - size - 4);
        var decoys = holes.Where((_, i) => i != real).ToArray();
        var puzzle = PuzzleRenderer.Render(new PuzzleSpec(look.Width, look.Height, look.Theme, look.Decoys, look.Format, x, y, decoys), Random.Shared);
        return new PooledPuzzle(puzzle, x, y);
    }
}
