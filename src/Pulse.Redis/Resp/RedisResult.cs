using System.Globalization;
using System.Text;

namespace Pulse.Redis.Resp;

/// <summary>
/// A parsed reply. Conversions that do not fit the reply (e.g. <see cref="AsLong"/> on "abc") throw
/// <see cref="InvalidCastException"/>, because they mean the caller expected a different command shape.
/// </summary>
public sealed class RedisResult
{
    internal static readonly RedisResult Ok = new(RedisResultType.SimpleString, "OK", 0);
    internal static readonly RedisResult Pong = new(RedisResultType.SimpleString, "PONG", 0);
    internal static readonly RedisResult Queued = new(RedisResultType.SimpleString, "QUEUED", 0);
    internal static readonly RedisResult NullBulkString = new(RedisResultType.BulkString, null, 0);
    internal static readonly RedisResult NullArray = new(RedisResultType.Array, null, 0);
    internal static readonly RedisResult EmptyArray = new(RedisResultType.Array, System.Array.Empty<RedisResult>(), 0);

    // DEL, EXISTS, EXPIRE, SETNX-style replies are almost always 0 or 1; sharing them saves an allocation per reply.
    private static readonly RedisResult[] SmallIntegers = CreateSmallIntegers();

    // string for simple strings and errors, byte[] for bulk strings, RedisResult[] for arrays, null for RESP nulls.
    private readonly object? _value;
    private readonly long _integer;

    private RedisResult(RedisResultType type, object? value, long integer)
    {
        Type = type;
        _value = value;
        _integer = integer;
    }

    public RedisResultType Type { get; }

    /// <summary>True for the RESP null bulk string (e.g. GET of a missing key) and the null array.</summary>
    public bool IsNull => Type is RedisResultType.BulkString or RedisResultType.Array && _value is null;

    public bool IsError => Type == RedisResultType.Error;

    internal static RedisResult SimpleString(string value) => new(RedisResultType.SimpleString, value, 0);

    internal static RedisResult Error(string message) => new(RedisResultType.Error, message, 0);

    internal static RedisResult BulkString(byte[] value) => new(RedisResultType.BulkString, value, 0);

    internal static RedisResult Array(RedisResult[] items) => items.Length == 0 ? EmptyArray : new(RedisResultType.Array, items, 0);

    internal static RedisResult Integer(long value) =>
        value is >= -1 and < 16 ? SmallIntegers[value + 1] : new(RedisResultType.Integer, null, value);

    /// <summary>Text of a string, integer or error reply (bulk strings decoded as UTF-8); null for a RESP null.</summary>
    public string? AsString() => _value switch
    {
        string text => text,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        null when Type == RedisResultType.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        null => null,
        _ => throw Mismatch("a string"),
    };

    /// <summary>Raw bytes of a bulk string (not copied), or the UTF-8 of any other scalar; null for a RESP null.</summary>
    public byte[]? AsBytes() => _value switch
    {
        byte[] bytes => bytes,
        RedisResult[] => throw Mismatch("bytes"),
        _ => AsString() is { } text ? Encoding.UTF8.GetBytes(text) : null,
    };

    /// <summary>An integer reply, or a string reply holding an integer (e.g. GET of a counter).</summary>
    public long AsLong()
    {
        if (Type == RedisResultType.Integer)
        {
            return _integer;
        }
        return Type != RedisResultType.Array && long.TryParse(AsString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Mismatch("an integer");
    }

    /// <summary>A number reply (INCRBYFLOAT, ZSCORE ...); understands Redis' "inf"/"-inf".</summary>
    public double AsDouble()
    {
        if (Type == RedisResultType.Integer)
        {
            return _integer;
        }
        var text = Type == RedisResultType.Array ? null : AsString();
        return text?.ToUpperInvariant() switch
        {
            "INF" or "+INF" => double.PositiveInfinity,
            "-INF" => double.NegativeInfinity,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw Mismatch("a number"),
        };
    }

    /// <summary>The elements of an array reply; null for the RESP null array.</summary>
    public IReadOnlyList<RedisResult>? AsArray() => Type == RedisResultType.Array
        ? (RedisResult[]?)_value
        : throw Mismatch("an array");

    public override string ToString() => Type switch
    {
        RedisResultType.Array when _value is RedisResult[] items => $"[{string.Join(", ", items.Select(item => item.ToString()))}]",
        RedisResultType.Error => $"(error) {_value}",
        _ when IsNull => "(nil)",
        _ => AsString()!,
    };

    private InvalidCastException Mismatch(string expected)
    {
        var text = ToString();
        return new($"The Redis reply {(text.Length > 100 ? text[..100] + "..." : text)} ({Type}) is not {expected}.");
    }

    private static RedisResult[] CreateSmallIntegers()
    {
        var cache = new RedisResult[17];
        for (var i = 0; i < cache.Length; i++)
        {
            cache[i] = new RedisResult(RedisResultType.Integer, null, i - 1);
        }
        return cache;
    }
}
