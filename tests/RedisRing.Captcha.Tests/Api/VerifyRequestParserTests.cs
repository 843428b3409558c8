using System.Buffers;
using System.Text;
using System.Text.Json;
using RedisRing.Captcha.Api;
using RedisRing.Captcha.Verification;

namespace RedisRing.Captcha.Tests.Api;

public sealed class VerifyRequestParserTests
{
    [Fact]
    public void A_well_formed_answer_is_read_field_for_field_and_unknown_properties_are_skipped()
    {
        using var answer = Parse("{\"challengeId\":\"abc\",\"extra\":{\"deep\":[1,2]},\"offset\":0.25,\"input\":\"keyboard\",\"track\":[{\"x\":0.1,\"y\":0.2,\"t\":3,\"p\":1},{\"t\":9,\"x\":-1e-3,\"y\":5}]}")!;

        Assert.Equal("abc", answer.ChallengeId);
        Assert.Equal(0.25, answer.Offset);
        Assert.Equal("keyboard", answer.Input);
        Assert.True(answer.HasTrack);
        Assert.Equal([new TrackPoint(0.1, 0.2, 3), new TrackPoint(-1e-3, 5, 9)], answer.Track.ToArray());
    }

    [Fact]
    public void An_accessible_answer_is_read_with_its_nonce_and_without_offset_or_track()
    {
        using var answer = Parse("{\"challengeId\":\"abc\",\"input\":\"accessible\",\"nonce\":9007199254740991}")!;

        Assert.Equal("accessible", answer.Input);
        Assert.Equal(9007199254740991, answer.Nonce);
        Assert.Null(answer.Offset);
        Assert.False(answer.HasTrack);
        using var nullNonce = Parse("{\"nonce\":null}")!;
        Assert.Null(nullNonce.Nonce);
        Assert.ThrowsAny<JsonException>(() => Parse("{\"nonce\":1.5}"));
        Assert.ThrowsAny<JsonException>(() => Parse("{\"nonce\":\"12\"}"));
    }

    [Fact]
    public void Missing_and_null_fields_stay_empty_for_the_validator_to_name()
    {
        using var answer = Parse("{\"challengeId\":null,\"track\":null}")!;

        Assert.Null(answer.ChallengeId);
        Assert.Null(answer.Offset);
        Assert.False(answer.HasTrack);
        Assert.Null(Parse("null"));
    }

    [Fact]
    public void Null_samples_are_flagged_and_samples_past_the_limit_are_counted_but_not_kept()
    {
        using var withNull = Parse("{\"track\":[null,{\"x\":1,\"y\":1,\"t\":1}]}")!;
        var many = string.Join(',', Enumerable.Repeat("{\"x\":0,\"y\":0,\"t\":0}", 30));
        using var tooMany = Parse("{\"track\":[" + many + "]}", maxPoints: 10)!;

        Assert.True(withNull.HasNullPoint);
        Assert.Equal(30, tooMany.Count);
        Assert.Equal(10, tooMany.Track.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"offset\":\"half\"}")]
    [InlineData("{\"challengeId\":42}")]
    [InlineData("{\"track\":{}}")]
    [InlineData("{\"track\":[{\"x\":null,\"y\":0,\"t\":0}]}")]
    [InlineData("{\"track\":[1]}")]
    [InlineData("{\"offset\":true}")]
    [InlineData("{\"offset\":0.5} {}")]
    [InlineData("{\"offset\":0.5,}")]
    [InlineData("{\"challengeId\":\"abc\"")]
    public void Bodies_of_the_wrong_shape_are_json_errors(string body)
    {
        Assert.ThrowsAny<JsonException>(() => Parse(body));
    }

    [Fact]
    public void A_body_split_across_buffers_parses_like_a_whole_one()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"challengeId\":\"abc\",\"offset\":0.5,\"track\":[{\"x\":0.1,\"y\":0.2,\"t\":3}]}");
        var first = new Segment(bytes.AsMemory(0, 17));
        var last = first.Append(bytes.AsMemory(17));

        using var answer = VerifyRequestParser.Parse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), 1000)!;

        Assert.Equal("abc", answer.ChallengeId);
        Assert.Equal([new TrackPoint(0.1, 0.2, 3)], answer.Track.ToArray());
    }

    private static VerifyAnswer? Parse(string body, int maxPoints = 1001) =>
        VerifyRequestParser.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)), maxPoints);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
