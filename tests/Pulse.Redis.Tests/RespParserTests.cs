using System.Buffers;
using System.Text;
using Pulse.Redis.Resp;

namespace Pulse.Redis.Tests;

public sealed class RespParserTests
{
    private const string Replies =
        "+OK\r\n-ERR boom\r\n:-42\r\n$5\r\nhe\r\no\r\n$-1\r\n$0\r\n\r\n*-1\r\n*0\r\n*3\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n+x\r\n";

    [Fact]
    public void Every_reply_type_is_parsed()
    {
        var results = ParseAll(Encoding.UTF8.GetBytes(Replies), splitAt: -1);

        Assert.Equal(
            ["OK", "(error) ERR boom", "-42", "he\r\no", "(nil)", "", "(nil)", "[]", "[1, [a, (nil)], x]"],
            results.Select(result => result.ToString()));
        Assert.Equal(RedisResultType.Error, results[1].Type);
        Assert.Equal(-42, results[2].AsLong());
        Assert.True(results[4].IsNull);
        Assert.True(results[6].IsNull);
        Assert.Equal(RedisResultType.Array, results[6].Type);
    }

    [Fact]
    public void Replies_split_at_any_byte_boundary_parse_the_same()
    {
        var bytes = Encoding.UTF8.GetBytes(Replies);
        var expected = ParseAll(bytes, splitAt: -1).Select(result => result.ToString()).ToList();

        for (var split = 1; split < bytes.Length; split++)
        {
            Assert.Equal(expected, ParseAll(bytes, split).Select(result => result.ToString()));
        }
    }

    [Fact]
    public void An_incomplete_reply_consumes_nothing()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("*2\r\n$3\r\nabc\r\n$3\r\nde"u8.ToArray()));

        Assert.False(RespParser.TryRead(ref reader, out _));
        Assert.Equal(0, reader.Consumed);
    }

    [Theory]
    [InlineData("?what\r\n")]
    [InlineData(":12a\r\n")]
    [InlineData("+OK\n")]
    [InlineData("$3\r\nabcXY")]
    public void Garbage_is_a_protocol_error(string text)
    {
        Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)));
            RespParser.TryRead(ref reader, out _);
        });
    }

    /// <summary>Parses everything, feeding the parser a two-segment buffer split at <paramref name="splitAt"/> (-1: one segment).</summary>
    private static List<RedisResult> ParseAll(byte[] bytes, int splitAt)
    {
        var results = new List<RedisResult>();
        var buffer = splitAt < 0 ? new ReadOnlySequence<byte>(bytes) : TwoSegments(bytes, splitAt);
        var reader = new SequenceReader<byte>(buffer);
        while (RespParser.TryRead(ref reader, out var result))
        {
            results.Add(result!);
        }
        Assert.Equal(buffer.Length, reader.Consumed);
        return results;
    }

    private static ReadOnlySequence<byte> TwoSegments(byte[] bytes, int splitAt)
    {
        var first = new Segment(bytes.AsMemory(0, splitAt), 0);
        var second = new Segment(bytes.AsMemory(splitAt), splitAt);
        first.SetNext(second);
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
