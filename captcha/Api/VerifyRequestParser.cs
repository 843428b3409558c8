using System.Buffers;
using System.Text.Json;
using RedisRing.Captcha.Verification;

namespace RedisRing.Captcha.Api;

/// <summary>
/// Reads a verify body with <see cref="Utf8JsonReader"/> straight into a <see cref="VerifyAnswer"/>:
/// no intermediate objects per track sample. It accepts and refuses what the source-generated
/// serializer does for <see cref="VerifyRequest"/> (camelCase names, case-sensitive, unknown
/// properties skipped, null for a missing value, a number where a number belongs, and a
/// <see cref="JsonException"/> for anything else). Samples past the <c>maxPoints</c> given to <see cref="Parse"/> are
/// counted, not kept.
/// </summary>
internal static class VerifyRequestParser
{
    /// <summary>The answer, or null for a body that is the JSON literal null.</summary>
    public static VerifyAnswer? Parse(ReadOnlySequence<byte> body, int maxPoints)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            ExpectEnd(ref reader);
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject);
        var answer = new VerifyAnswer();
        try
        {
            while (Read(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("challengeId"u8))
                {
                    answer.ChallengeId = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("offset"u8))
                {
                    answer.Offset = Read(ref reader) == JsonTokenType.Null ? null : Number(ref reader);
                }
                else if (reader.ValueTextEquals("input"u8))
                {
                    answer.Input = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("nonce"u8))
                {
                    answer.Nonce = Read(ref reader) == JsonTokenType.Null ? null : Integer(ref reader);
                }
                else if (reader.ValueTextEquals("track"u8))
                {
                    ReadTrack(ref reader, answer, maxPoints);
                }
                else
                {
                    Read(ref reader);
                    reader.Skip();
                }
            }

            Expect(ref reader, JsonTokenType.EndObject);
            ExpectEnd(ref reader);
            return answer;
        }
        catch
        {
            answer.Dispose();
            throw;
        }
    }

    private static void ReadTrack(ref Utf8JsonReader reader, VerifyAnswer answer, int maxPoints)
    {
        answer.ClearTrack();
        if (Read(ref reader) == JsonTokenType.Null)
        {
            answer.HasTrack = false;
            return;
        }

        Expect(ref reader, JsonTokenType.StartArray);
        answer.HasTrack = true;
        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                answer.HasNullPoint = true;
                answer.Add(default, maxPoints);
                continue;
            }

            Expect(ref reader, JsonTokenType.StartObject);
            double x = 0, y = 0, t = 0;
            while (Read(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("x"u8))
                {
                    Read(ref reader);
                    x = Number(ref reader);
                }
                else if (reader.ValueTextEquals("y"u8))
                {
                    Read(ref reader);
                    y = Number(ref reader);
                }
                else if (reader.ValueTextEquals("t"u8))
                {
                    Read(ref reader);
                    t = Number(ref reader);
                }
                else
                {
                    Read(ref reader);
                    reader.Skip();
                }
            }

            Expect(ref reader, JsonTokenType.EndObject);
            answer.Add(new TrackPoint(x, y, t), maxPoints);
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader) =>
        Read(ref reader) switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => reader.GetString(),
            _ => throw new JsonException("Expected a string."),
        };

    private static double Number(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value) ? value : throw new JsonException("Expected a number.");

    private static long Integer(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : throw new JsonException("Expected an integer.");

    private static JsonTokenType Read(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("The JSON ends too early.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type}.");
        }
    }

    private static void ExpectEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("Unexpected data after the JSON value.");
        }
    }
}
