using RedisRing.Captcha.Api;
using RedisRing.Captcha.Tests.Support;
using RedisRing.Captcha.Verification;

namespace RedisRing.Captcha.Tests.Verification;

public sealed class KeyTimingAnalyzerTests
{
    private const double Offset = 0.6;

    private static TrackVerdict Analyze(List<TrackPointDto> track, double offset = Offset) =>
        TrackAnalyzer.Analyze(track.ConvertAll(p => new TrackPoint(p.X, p.Y, p.T)), InputKind.Keyboard, offset, 5000, minSolveMs: 600, allowKeyboard: true, HumanLikenessThresholds.Default);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Presses_at_a_persons_uneven_pace_are_accepted(int seed)
    {
        Assert.Equal(TrackVerdict.Human, Analyze(Tracks.KeyPresses(Offset, seed)));
    }

    [Fact]
    public void A_held_key_repeating_after_the_systems_delay_is_accepted()
    {
        // One press, the usual 500 ms repeat delay, then 33 ms repeats (30 a second) with jitter.
        var random = new Random(5);
        var track = Tracks.KeyPresses(0.3).Take(1).ToList();
        double t = 0, x = 0;
        for (var i = 0; i < 30; i++)
        {
            x = Math.Round(x + 0.01, 3);
            track.Add(new TrackPointDto(x, 0, t));
            t += i == 0 ? 500 : 33 + (random.NextDouble() - 0.5);
        }

        Assert.Equal(TrackVerdict.Human, Analyze(track, 0.3));
    }

    [Fact]
    public void A_bots_perfectly_regular_one_millisecond_presses_are_refused()
    {
        // All of them within 15 ms: shorter than any answer may be.
        Assert.Equal(TrackVerdict.TooShort, Analyze(Tracks.RegularKeyPresses(Offset, 1)));

        // The same after a second of "thinking" before the first press: faster than keys repeat.
        var padded = Tracks.RegularKeyPresses(Offset, 1).Select((p, i) => i == 0 ? p : p with { T = p.T + 1000 }).ToList();
        Assert.Equal(TrackVerdict.KeysTooFast, Analyze(padded));
    }

    [Fact]
    public void Presses_at_a_fixed_rate_a_person_could_reach_are_too_regular()
    {
        Assert.Equal(TrackVerdict.KeyTimingTooRegular, Analyze(Tracks.RegularKeyPresses(Offset, 150)));
    }

    [Fact]
    public void Fewer_than_three_presses_are_too_few()
    {
        Assert.Equal(TrackVerdict.TooFewPoints, Analyze([new(0, 0, 0), new(0.05, 0, 0), new(0.1, 0, 400)], 0.1));
    }

    [Fact]
    public void Far_more_presses_than_the_distance_needs_are_implausible()
    {
        // 0.1 of the width takes 10 plain presses; 60 back-and-forth ones is a script padding its track.
        var random = new Random(9);
        var track = new List<TrackPointDto> { new(0, 0, 0) };
        var t = 0.0;
        for (var i = 0; i < 60; i++)
        {
            t += 80 + random.Next(120);
            track.Add(new TrackPointDto(i % 2 == 0 ? 0.01 : 0, 0, t));
        }

        for (var i = 1; i <= 10; i++)
        {
            t += 90 + random.Next(80);
            track.Add(new TrackPointDto(i * 0.01, 0, t));
        }

        Assert.Equal(TrackVerdict.TooManyKeyPresses, Analyze(track, 0.1));
    }

    [Fact]
    public void A_step_larger_than_the_widgets_shift_step_is_a_teleport()
    {
        var track = Tracks.KeyPresses(Offset);
        track[3] = track[3] with { X = track[3].X + 0.01 };

        Assert.Equal(TrackVerdict.Teleport, Analyze(track));
    }
}
