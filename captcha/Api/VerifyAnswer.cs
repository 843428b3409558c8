using System.Buffers;
using RedisRing.Captcha.Verification;

namespace RedisRing.Captcha.Api;

/// <summary>
/// A parsed <see cref="VerifyRequest"/>: the same fields, with the track as samples in a rented
/// array instead of a list of objects (return it with <see cref="Dispose"/>).
/// </summary>
internal sealed class VerifyAnswer : IDisposable
{
    private TrackPoint[] _points = [];
    private int _kept;

    public string? ChallengeId { get; set; }

    public double? Offset { get; set; }

    public string? Input { get; set; }

    /// <summary>The proof of work's nonce (keyboard and accessible answers), if any.</summary>
    public long? Nonce { get; set; }

    /// <summary>False when the body had no track (or "track": null).</summary>
    public bool HasTrack { get; set; }

    /// <summary>Samples seen, counting those past the limit, which are not kept.</summary>
    public int Count { get; private set; }

    /// <summary>Some element of the track was null.</summary>
    public bool HasNullPoint { get; set; }

    /// <summary>The kept samples (at most the limit given to <see cref="Add"/>).</summary>
    public ReadOnlySpan<TrackPoint> Track => _points.AsSpan(0, _kept);

    public void ClearTrack()
    {
        Count = 0;
        _kept = 0;
        HasNullPoint = false;
    }

    public void Add(TrackPoint point, int limit)
    {
        if (_kept < limit)
        {
            if (_kept == _points.Length)
            {
                var larger = ArrayPool<TrackPoint>.Shared.Rent(Math.Min(limit, Math.Max(64, _kept * 2)));
                _points.AsSpan(0, _kept).CopyTo(larger);
                Return();
                _points = larger;
            }

            _points[_kept++] = point;
        }

        Count++;
    }

    public void Dispose()
    {
        Return();
        _points = [];
    }

    private void Return()
    {
        if (_points.Length > 0)
        {
            ArrayPool<TrackPoint>.Shared.Return(_points);
        }
    }
}
