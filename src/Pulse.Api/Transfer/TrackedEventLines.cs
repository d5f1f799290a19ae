using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Pulse.Core.Tracking;
using Pulse.Core.Transfer;

namespace Pulse.Api.Transfer;

/// <summary>
/// Writes exported tracked events as NDJSON (<c>{"id":1,"eventType":"CLICK","userId":7,"sessionId":"s-1","componentId":1002,
/// "elementId":"buy","keyword":null,"postId":null,"occurredAt":"..."}</c>, every key on every line) or CSV with the
/// same columns, straight into the response's pipe (see <see cref="EventLines"/>).
/// </summary>
internal sealed class TrackedEventLines(PipeWriter pipe) : IDisposable
{
    public static readonly string[] Columns = ["id", "eventType", "userId", "sessionId", "componentId", "elementId", "keyword", "postId", "occurredAt"];

    private readonly Utf8JsonWriter _json = new(pipe, ExportFormats.Json);

    public async ValueTask WriteNdjsonAsync(ExportedTrackedEvent exported, CancellationToken cancellationToken)
    {
        var (id, tracked) = (exported.Id, exported.Event);
        Span<byte> time = stackalloc byte[32];
        var json = _json;
        json.WriteStartObject();
        json.WriteNumber("id"u8, id);
        json.WriteString("eventType"u8, tracked.Type.ToWire());
        WriteNumberOrNull("userId"u8, tracked.UserId);
        json.WriteString("sessionId"u8, tracked.SessionId);
        json.WriteNumber("componentId"u8, tracked.ComponentId);
        json.WriteString("elementId"u8, tracked.ElementId);
        json.WriteString("keyword"u8, tracked.Keyword);
        WriteNumberOrNull("postId"u8, tracked.PostId);
        json.WriteString("occurredAt"u8, time[..ExportFormats.FormatTime(tracked.OccurredAt, time)]);
        json.WriteEndObject();
        json.Flush();
        json.Reset();
        ExportFormats.WriteByte(pipe, (byte)'\n');
        await ExportFormats.FlushIfFullAsync(pipe, cancellationToken);
    }

    public async ValueTask WriteCsvHeaderAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < Columns.Length; i++)
        {
            ExportFormats.WriteCsvField(pipe, Columns[i], first: i == 0);
        }

        ExportFormats.WriteCsvLineEnd(pipe);
        await ExportFormats.FlushIfFullAsync(pipe, cancellationToken);
    }

    public async ValueTask WriteCsvAsync(ExportedTrackedEvent exported, CancellationToken cancellationToken)
    {
        var tracked = exported.Event;
        ExportFormats.WriteCsvField(pipe, exported.Id.ToString(CultureInfo.InvariantCulture), first: true);
        ExportFormats.WriteCsvField(pipe, tracked.Type.ToWire(), first: false);
        ExportFormats.WriteCsvField(pipe, tracked.UserId?.ToString(CultureInfo.InvariantCulture), first: false);
        ExportFormats.WriteCsvField(pipe, tracked.SessionId, first: false);
        ExportFormats.WriteCsvField(pipe, tracked.ComponentId.ToString(CultureInfo.InvariantCulture), first: false);
        ExportFormats.WriteCsvField(pipe, tracked.ElementId, first: false);
        ExportFormats.WriteCsvField(pipe, tracked.Keyword, first: false);
        ExportFormats.WriteCsvField(pipe, tracked.PostId?.ToString(CultureInfo.InvariantCulture), first: false);
        ExportFormats.WriteCsvField(pipe, ExportFormats.FormatTime(tracked.OccurredAt), first: false);
        ExportFormats.WriteCsvLineEnd(pipe);
        await ExportFormats.FlushIfFullAsync(pipe, cancellationToken);
    }

    public void Dispose() => _json.Dispose();

    private void WriteNumberOrNull(ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } number)
        {
            _json.WriteNumber(name, number);
        }
        else
        {
            _json.WriteNull(name);
        }
    }
}
