using System.Globalization;

namespace Pulse.Redis.Resp;

/// <summary>
/// A growable byte buffer that commands are serialized into before one socket write sends them all.
/// Each connection keeps two and swaps them, so steady-state writing allocates nothing.
/// </summary>
internal sealed class OutputBuffer
{
    private const int InitialSize = 16 * 1024;

    // A buffer grown for a rare huge value is dropped after use instead of pinning megabytes per connection.
    private const int RetainLimit = 1024 * 1024;

    private byte[] _buffer = new byte[InitialSize];
    private int _length;

    public int Length => _length;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public Span<byte> GetSpan(int sizeHint)
    {
        if (_buffer.Length - _length < sizeHint)
        {
            var grown = new byte[Math.Max(_buffer.Length * 2, _length + sizeHint)];
            _buffer.AsSpan(0, _length).CopyTo(grown);
            _buffer = grown;
        }
        return _buffer.AsSpan(_length);
    }

    public void Advance(int count) => _length += count;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    public void WriteCrlf()
    {
        var span = GetSpan(2);
        span[0] = (byte)'\r';
        span[1] = (byte)'\n';
        _length += 2;
    }

    /// <summary>Writes a RESP header such as <c>*3\r\n</c> or <c>$5\r\n</c>.</summary>
    public void WriteLengthHeader(byte prefix, int length)
    {
        var span = GetSpan(16);
        span[0] = prefix;
        length.TryFormat(span[1..], out var digits, default, CultureInfo.InvariantCulture);
        span[digits + 1] = (byte)'\r';
        span[digits + 2] = (byte)'\n';
        _length += digits + 3;
    }

    /// <summary>Serializes a command as a RESP array of bulk strings.</summary>
    public void WriteCommand(IReadOnlyList<RedisArg> args)
    {
        WriteLengthHeader((byte)'*', args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            args[i].WriteTo(this);
        }
    }

    /// <summary>Drops bytes written after <paramref name="length"/>, undoing a partially serialized command.</summary>
    public void Truncate(int length) => _length = Math.Min(_length, length);

    public void Reset()
    {
        _length = 0;
        if (_buffer.Length > RetainLimit)
        {
            _buffer = new byte[InitialSize];
        }
    }
}
