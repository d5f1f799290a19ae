using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using Pulse.Core.Transfer;

namespace Pulse.Api.Transfer;

/// <summary>
/// Reads an import's body line by line as it arrives (gunzipped on the fly with <c>Content-Encoding: gzip</c>), so a
/// body of any size needs one batch of lines in memory: each batch is stored and committed before more is read, which
/// also slows the client down to the database's pace (TCP back-pressure) instead of buffering.
/// </summary>
internal static class ImportBody
{
    /// <summary>Longer lines are rejected unread (an SDK message is at most 64 KiB, with its properties well below this).</summary>
    public const int MaxLineBytes = 1024 * 1024;

    /// <summary>Feeds every line of the body to <paramref name="import"/>; throws <see cref="InvalidDataException"/> for broken gzip.</summary>
    public static async Task ReadAsync(HttpRequest request, EventImport import, CancellationToken cancellationToken)
    {
        var gzip = request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        await using var body = gzip ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : null;
        var reader = PipeReader.Create(body ?? request.Body, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        try
        {
            long number = 0;
            var skipping = false;
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    number++;
                    if (skipping)
                    {
                        skipping = false;
                        TooLong(import, number);
                    }
                    else
                    {
                        Add(import, number, buffer.Slice(0, end));
                    }

                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    if (import.IsBatchFull)
                    {
                        await import.FlushAsync(cancellationToken);
                    }
                }

                if (result.IsCompleted)
                {
                    if (skipping)
                    {
                        TooLong(import, number + 1);
                    }
                    else if (!buffer.IsEmpty)
                    {
                        Add(import, number + 1, buffer);
                    }

                    break;
                }

                if (buffer.Length > MaxLineBytes)
                {
                    skipping = true;
                    buffer = buffer.Slice(buffer.End);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }

            await import.FlushAsync(cancellationToken);
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static void TooLong(EventImport import, long number)
    {
        import.CountLine();
        import.Reject(number, $"the line is longer than {MaxLineBytes / 1024} KiB");
    }

    private static void Add(EventImport import, long number, ReadOnlySequence<byte> line)
    {
        if (line.Length > MaxLineBytes)
        {
            TooLong(import, number);
            return;
        }

        ReadOnlySpan<byte> bytes = line.IsSingleSegment ? line.FirstSpan : (ReadOnlySpan<byte>)line.ToArray();
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        if (bytes.Trim(" \t"u8).IsEmpty)
        {
            return; // blank lines (a trailing one, say) are not lines of data
        }

        import.Add(number, bytes);
    }
}
