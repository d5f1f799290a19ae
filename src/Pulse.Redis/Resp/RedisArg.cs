using System.Globalization;
using System.Text;

namespace Pulse.Redis.Resp;

/// <summary>
/// One command argument. Strings are sent as UTF-8, numbers in their invariant text form, bytes verbatim;
/// the value is encoded straight into the socket buffer, so building arguments allocates nothing.
/// A byte buffer must not be modified until the command's task completes.
/// </summary>
public readonly struct RedisArg
{
    private enum Kind : byte
    {
        String,
        Bytes,
        Integer,
        Double,
    }

    private readonly string? _string;
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly long _integer;
    private readonly double _double;
    private readonly Kind _kind;

    private RedisArg(string? text, ReadOnlyMemory<byte> bytes, long integer, double number, Kind kind)
    {
        _string = text;
        _bytes = bytes;
        _integer = integer;
        _double = number;
        _kind = kind;
    }

    // Implicit conversions must not throw, so a null string is sent as an empty one.
    public static implicit operator RedisArg(string? value) => FromString(value);

    public static implicit operator RedisArg(byte[]? value) => FromBytes(value);

    public static implicit operator RedisArg(ReadOnlyMemory<byte> value) => FromBytes(value);

    public static implicit operator RedisArg(int value) => FromInteger(value);

    public static implicit operator RedisArg(long value) => FromInteger(value);

    public static implicit operator RedisArg(double value) => FromDouble(value);

    public static RedisArg FromString(string? value) => new(value ?? string.Empty, default, 0, 0, Kind.String);

    public static RedisArg FromBytes(ReadOnlyMemory<byte> value) => new(null, value, 0, 0, Kind.Bytes);

    public static RedisArg FromInteger(long value) => new(null, default, value, 0, Kind.Integer);

    public static RedisArg FromDouble(double value) => new(null, default, 0, value, Kind.Double);

    /// <summary>The argument as text when it is one (used for command names in diagnostics); null otherwise.</summary>
    internal string? AsText => _kind == Kind.String ? _string : null;

    /// <summary>Appends the argument as a RESP bulk string.</summary>
    internal void WriteTo(OutputBuffer output)
    {
        switch (_kind)
        {
            case Kind.String:
                // default(RedisArg) has no string; it is sent as an empty one.
                var text = _string ?? string.Empty;
                var length = Encoding.UTF8.GetByteCount(text);
                output.WriteLengthHeader((byte)'$', length);
                var span = output.GetSpan(length + 2);
                Encoding.UTF8.GetBytes(text, span);
                WriteCrlf(span[length..]);
                output.Advance(length + 2);
                break;
            case Kind.Bytes:
                output.WriteLengthHeader((byte)'$', _bytes.Length);
                output.Write(_bytes.Span);
                output.WriteCrlf();
                break;
            case Kind.Integer:
                WriteFormatted(output, _integer);
                break;
            default:
                WriteFormatted(output, _double);
                break;
        }
    }

    public override string ToString() => _kind switch
    {
        Kind.String => _string ?? string.Empty,
        Kind.Bytes => Encoding.UTF8.GetString(_bytes.Span),
        Kind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        _ => FormatDouble(_double),
    };

    private static void WriteFormatted(OutputBuffer output, long value)
    {
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        WriteDigits(output, digits[..written]);
    }

    private static void WriteFormatted(OutputBuffer output, double value)
    {
        Span<byte> digits = stackalloc byte[32];
        int written;
        if (double.IsInfinity(value))
        {
            // Redis spells infinities "+inf" / "-inf" (ZADD, ZRANGEBYSCORE, ...).
            (value > 0 ? "+inf"u8 : "-inf"u8).CopyTo(digits);
            written = 4;
        }
        else
        {
            value.TryFormat(digits, out written, "R", CultureInfo.InvariantCulture);
        }
        WriteDigits(output, digits[..written]);
    }

    private static void WriteDigits(OutputBuffer output, ReadOnlySpan<byte> digits)
    {
        output.WriteLengthHeader((byte)'$', digits.Length);
        output.Write(digits);
        output.WriteCrlf();
    }

    private static string FormatDouble(double value) => double.IsInfinity(value)
        ? (value > 0 ? "+inf" : "-inf")
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteCrlf(Span<byte> span)
    {
        span[0] = (byte)'\r';
        span[1] = (byte)'\n';
    }
}
