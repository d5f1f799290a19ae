using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Pulse.Redis.Resp;

/// <summary>Reads RESP2 replies from buffered socket data, which may end anywhere inside a reply.</summary>
internal static class RespParser
{
    /// <summary>
    /// Reads one complete reply and advances <paramref name="reader"/> past it. Returns false, leaving the
    /// reader untouched, when the buffer ends before the reply does.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not RESP2; the connection cannot be trusted any more.</exception>
    public static bool TryRead(ref SequenceReader<byte> reader, out RedisResult? result)
    {
        var attempt = reader;
        if (TryReadValue(ref attempt, out result))
        {
            reader = attempt;
            return true;
        }
        result = null;
        return false;
    }

    private static bool TryReadValue(ref SequenceReader<byte> reader, out RedisResult? result)
    {
        result = null;
        if (!reader.TryRead(out var prefix) || !TryReadLine(ref reader, out var line))
        {
            return false;
        }
        switch (prefix)
        {
            case (byte)'+':
                result = ParseSimpleString(line);
                return true;
            case (byte)'-':
                result = RedisResult.Error(Encoding.UTF8.GetString(line));
                return true;
            case (byte)':':
                result = RedisResult.Integer(ParseInteger(line));
                return true;
            case (byte)'$':
                return TryReadBulkString(ref reader, ParseInteger(line), out result);
            case (byte)'*':
                return TryReadArray(ref reader, ParseInteger(line), out result);
            default:
                throw new InvalidDataException($"Unexpected RESP type byte 0x{prefix:X2}.");
        }
    }

    private static bool TryReadBulkString(ref SequenceReader<byte> reader, long length, out RedisResult? result)
    {
        result = null;
        if (length < 0)
        {
            result = RedisResult.NullBulkString;
            return true;
        }
        if (length > int.MaxValue - 2)
        {
            throw new InvalidDataException($"Bulk string of {length} bytes is too large.");
        }
        if (reader.Remaining < length + 2)
        {
            return false;
        }
        var bytes = new byte[length];
        reader.UnreadSequence.Slice(0, length).CopyTo(bytes);
        reader.Advance(length);
        if (!reader.IsNext("\r\n"u8, advancePast: true))
        {
            throw new InvalidDataException("Bulk string is not terminated by CRLF.");
        }
        result = RedisResult.BulkString(bytes);
        return true;
    }

    private static bool TryReadArray(ref SequenceReader<byte> reader, long count, out RedisResult? result)
    {
        result = null;
        if (count < 0)
        {
            result = RedisResult.NullArray;
            return true;
        }
        if (count > int.MaxValue)
        {
            throw new InvalidDataException($"Array of {count} elements is too large.");
        }
        // Every element takes at least 3 bytes ("+\r\n"): skip allocating for an array that cannot be complete yet.
        if (count > reader.Remaining / 3)
        {
            return false;
        }
        var items = new RedisResult[count];
        for (var i = 0; i < items.Length; i++)
        {
            if (!TryReadValue(ref reader, out var item))
            {
                return false;
            }
            items[i] = item!;
        }
        result = RedisResult.Array(items);
        return true;
    }

    private static bool TryReadLine(ref SequenceReader<byte> reader, out ReadOnlySpan<byte> line)
    {
        if (!reader.TryReadTo(out line, (byte)'\n'))
        {
            return false;
        }
        if (line.IsEmpty || line[^1] != (byte)'\r')
        {
            throw new InvalidDataException("RESP line is not terminated by CRLF.");
        }
        line = line[..^1];
        return true;
    }

    private static RedisResult ParseSimpleString(ReadOnlySpan<byte> line)
    {
        if (line.SequenceEqual("OK"u8))
        {
            return RedisResult.Ok;
        }
        if (line.SequenceEqual("PONG"u8))
        {
            return RedisResult.Pong;
        }
        return line.SequenceEqual("QUEUED"u8) ? RedisResult.Queued : RedisResult.SimpleString(Encoding.UTF8.GetString(line));
    }

    private static long ParseInteger(ReadOnlySpan<byte> line) =>
        Utf8Parser.TryParse(line, out long value, out var consumed) && consumed == line.Length
            ? value
            : throw new InvalidDataException($"Invalid RESP integer '{Encoding.ASCII.GetString(line)}'.");
}
