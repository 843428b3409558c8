using RedisRing.Captcha.Api;
using RedisRing.Captcha.Tests.Support;
using RedisRing.Captcha.Verification;

namespace RedisRing.Captcha.Tests.Verification;

public sealed class TrackAnalyzerTests
{
    private const double Offset = 0.6;

    private static TrackVerdict Analyze(List<TrackPointDto> track, double offset = Offset, InputKind kind = InputKind.Pointer, double elapsedMs = 2000, bool allowKeyboard = true) =>
        TrackAnalyzer.Analyze(track.ConvertAll(p => new TrackPoint(p.X, p.Y, p.T)), kind, offset, elapsedMs, minSolveMs: 600, allowKeyboard, HumanLikenessThresholds.Default);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void An_eased_drag_with_wobble_is_human(int seed)
    {
        Assert.Equal(TrackVerdict.Human, Analyze(Tracks.Human(Offset, seed)));
    }

    [Fact]
    public void A_short_offset_drag_is_human_too()
    {
        Assert.Equal(TrackVerdict.Human, Analyze(Tracks.Human(0.2, points: 20, durationMs: 400), offset: 0.2));
    }

    [Fact]
    public void An_answer_sooner_than_the_minimum_after_issue_is_too_fast()
    {
        Assert.Equal(TrackVerdict.SolvedTooFast, Analyze(Tracks.Human(Offset), elapsedMs: 599));
    }

    [Fact]
    public void Fewer_than_eight_pointer_samples_are_too_few()
    {
        Assert.Equal(TrackVerdict.TooFewPoints, Analyze(Tracks.Human(Offset, points: 7)));
    }

    [Fact]
    public void A_drag_shorter_than_a_quarter_second_is_too_short()
    {
        Assert.Equal(TrackVerdict.TooShort, Analyze(Tracks.Human(Offset, durationMs: 200)));
    }

    [Fact]
    public void Time_running_backwards_is_refused()
    {
        var track = Tracks.Human(Offset);
        track[10] = track[10] with { T = track[9].T - 5 };

        Assert.Equal(TrackVerdict.TimeNotIncreasing, Analyze(track));
    }

    [Fact]
    public void A_jump_of_more_than_an_eighth_of_the_width_is_a_teleport()
    {
        Assert.Equal(TrackVerdict.Teleport, Analyze(Tracks.Teleport(Offset)));
    }

    [Fact]
    public void A_ruler_straight_horizontal_line_is_perfectly_flat()
    {
        Assert.Equal(TrackVerdict.PerfectlyFlat, Analyze(Tracks.Flat(Offset)));
    }

    [Fact]
    public void Uniform_steps_at_uniform_times_are_constant_speed()
    {
        Assert.Equal(TrackVerdict.ConstantSpeed, Analyze(Tracks.ConstantSpeed(Offset)));
    }

    [Fact]
    public void A_drag_that_is_fastest_at_the_end_has_no_deceleration()
    {
        Assert.Equal(TrackVerdict.NoDeceleration, Analyze(Tracks.Accelerating(Offset)));
    }

    [Fact]
    public void A_track_whose_travel_differs_from_the_offset_is_refused()
    {
        Assert.Equal(TrackVerdict.TrackDisagreesWithOffset, Analyze(Tracks.Human(0.3), offset: Offset));
    }

    [Fact]
    public void Keyboard_answers_are_refused_where_the_site_disallows_them()
    {
        Assert.Equal(TrackVerdict.KeyboardNotAllowed, Analyze(Tracks.KeyPresses(Offset), kind: InputKind.Keyboard, allowKeyboard: false));
    }

    [Fact]
    public void Key_presses_of_one_to_five_percent_are_accepted_as_keyboard_input()
    {
        Assert.Equal(TrackVerdict.Human, Analyze(Tracks.KeyPresses(Offset), kind: InputKind.Keyboard));
    }

    [Fact]
    public void A_keyboard_answer_that_jumps_straight_to_the_answer_is_a_teleport()
    {
        Assert.Equal(TrackVerdict.Teleport, Analyze([new(0, 0, 0), new(0.05, 0, 0), new(0.1, 0, 170), new(0.3, 0, 400), new(Offset, 0, 900)], kind: InputKind.Keyboard));
    }
}
