using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pulse.Api.Transfer;

/// <summary>The two export formats, and what they share: times as ISO-8601 UTC with milliseconds, UTF-8 without BOM.</summary>
internal enum ExportFormat
{
    Ndjson,
    Csv,
}

internal static class ExportFormats
{
    /// <summary>Bytes written to the response before it is flushed (and, if the client reads slowly, before the export waits for it).</summary>
    public const int FlushBytes = 64 * 1024;

    /// <summary>
    /// JSON as the export writes it: compact, and with non-ASCII text as UTF-8 rather than \u escapes (Korean stays
    /// readable and a third of the size); quotes, backslashes and control characters are escaped as JSON requires.
    /// </summary>
    public static readonly JsonWriterOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    public static bool TryParse(string? text, out ExportFormat format)
    {
        switch (text?.ToLowerInvariant())
        {
            case null or "" or "ndjson":
                format = ExportFormat.Ndjson;
                return true;
            case "csv":
                format = ExportFormat.Csv;
                return true;
            default:
                format = default;
                return false;
        }
    }

    public static string ContentType(this ExportFormat format) =>
        format == ExportFormat.Csv ? "text/csv; charset=utf-8; header=present" : "application/x-ndjson; charset=utf-8";

    public static string ContentDisposition(this ExportFormat format, string name, DateTimeOffset at) =>
        $"attachment; filename=\"{name}-{at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.{(format == ExportFormat.Csv ? "csv" : "ndjson")}\"";

    /// <summary>UTF-8 of <c>2026-11-21T05:21:00.123Z</c> into <paramref name="destination"/> (24 bytes).</summary>
    public static int FormatTime(DateTimeOffset time, Span<byte> destination)
    {
        time.UtcDateTime.TryFormat(destination, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return written;
    }

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Appends one byte (a line end) to the pipe.</summary>
    public static void WriteByte(PipeWriter pipe, byte value)
    {
        pipe.GetSpan(1)[0] = value;
        pipe.Advance(1);
    }

    /// <summary>
    /// One CSV field, RFC 4180: quoted (with quotes doubled) when it holds a comma, a quote, CR or LF, as is otherwise.
    /// Null and empty are both an empty field.
    /// </summary>
    public static void WriteCsvField(PipeWriter pipe, string? value, bool first)
    {
        if (!first)
        {
            WriteByte(pipe, (byte)',');
        }

        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            Write(pipe, value);
            return;
        }

        WriteByte(pipe, (byte)'"');
        var rest = value.AsSpan();
        int quote;
        while ((quote = rest.IndexOf('"')) >= 0)
        {
            Write(pipe, rest[..(quote + 1)]);
            WriteByte(pipe, (byte)'"');
            rest = rest[(quote + 1)..];
        }

        Write(pipe, rest);
        WriteByte(pipe, (byte)'"');
    }

    /// <summary>Flushes the pipe once <see cref="FlushBytes"/> are waiting in it (every row when the pipe cannot say).</summary>
    public static async ValueTask FlushIfFullAsync(PipeWriter pipe, CancellationToken cancellationToken)
    {
        if (!pipe.CanGetUnflushedBytes || pipe.UnflushedBytes >= FlushBytes)
        {
            await pipe.FlushAsync(cancellationToken);
        }
    }

    /// <summary>RFC 4180's line end.</summary>
    public static void WriteCsvLineEnd(PipeWriter pipe)
    {
        WriteByte(pipe, (byte)'\r');
        WriteByte(pipe, (byte)'\n');
    }

    private static void Write(PipeWriter pipe, ReadOnlySpan<char> text)
    {
        var span = pipe.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        pipe.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
