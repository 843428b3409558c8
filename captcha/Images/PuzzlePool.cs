using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace RedisRing.Captcha.Images;

/// <summary>
/// Challenges rendered ahead of time by a background thread, so a request usually only takes
/// one from a queue instead of spending milliseconds encoding images. Each pooled challenge is
/// handed out once and its secret position lives only in this process's memory until then.
/// When a pool is empty (a burst outran the renderer) the request renders its own.
/// </summary>
internal sealed class PuzzlePool(IOptions<PuzzleOptions> options)
{
    private readonly ConcurrentDictionary<PuzzleLook, Channel<PooledPuzzle>> _pools = new();

    public int Capacity { get; } = Math.Max(0, options.Value.PoolSize);

    /// <summary>The looks requested so far: the filler keeps a pool for each.</summary>
    public ICollection<PuzzleLook> Looks => _pools.Keys;

    public PooledPuzzle Take(PuzzleLook look)
    {
        if (Capacity == 0)
        {
            return Render(look);
        }

        var pool = _pools.GetOrAdd(look, _ => Channel.CreateBounded<PooledPuzzle>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait }));
        return pool.Reader.TryRead(out var ready) ? ready : Render(look);
    }

    /// <summary>Renders one challenge into the look's pool; false when the pool is already full.</summary>
    public bool FillOne(PuzzleLook look) =>
        _pools.TryGetValue(look, out var pool) && pool.Reader.Count < Capacity && pool.Writer.TryWrite(Render(look));

    public static PooledPuzzle Render(PuzzleLook look)
    {
        var size = PuzzleShape.SizeFor(look.Height);
        // The secret position comes from the OS CSPRNG: a predictable x would be a solved captcha.
        // It always leaves room for the piece's start position at the left edge.
        var x = RandomNumberGenerator.GetInt32(size + 10, look.Width - size - 4);
        var y = RandomNumberGenerator.GetInt32(4, look.Height - size - 4);
        var puzzle = PuzzleRenderer.Render(new PuzzleSpec(look.Width, look.Height, look.Theme, look.Decoys, look.Format, x, y), Random.Shared);
        return new PooledPuzzle(puzzle, x, y);
    }
}
