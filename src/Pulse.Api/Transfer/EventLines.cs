using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Pulse.Core.Transfer;

namespace Pulse.Api.Transfer;

/// <summary>
/// Writes exported CRM events to the response as they are read: NDJSON (one object a line, the import's format) or CSV
/// (a header row, then one row an event). Each row goes straight into the response's pipe, which is flushed every
/// <see cref="ExportFormats.FlushBytes"/>; the flush waits while the client is slower than the database, so memory
/// holds a page of events and a pipe's worth of bytes whatever the export's size.
/// </summary>
internal sealed class EventLines(PipeWriter pipe) : IDisposable
{
    private readonly Utf8JsonWriter _json = new(pipe, ExportFormats.Json);
    private byte[] _utf8 = ArrayPool<byte>.Shared.Rent(4096);
    private long _unflushed;

    /// <summary>Events written so far.</summary>
    public long Count { get; private set; }

    /// <summary>
    /// <c>{"id":1,"name":"purchase","externalId":"u1","eventTime":"...","receivedAt":"...","properties":{"k":"v"},
    /// "campaign":null,"message":null,"sentAt":null,"timeClamped":false}</c>: every key on every line, in this order.
    /// </summary>
    public async ValueTask WriteNdjsonAsync(ExportedEvent exported, CancellationToken cancellationToken)
    {
        Span<byte> time = stackalloc byte[32];
        var json = _json;
        json.WriteStartObject();
        json.WriteNumber("id"u8, exported.Id);
        json.WriteString("name"u8, exported.Name);
        json.WriteString("externalId"u8, exported.ExternalId);
        json.WriteString("eventTime"u8, time[..ExportFormats.FormatTime(exported.EventTime, time)]);
        json.WriteString("receivedAt"u8, time[..ExportFormats.FormatTime(exported.ReceivedAt, time)]);
        json.WritePropertyName("properties"u8);
        WriteProperties(exported.PropertiesJson);
        if (exported.Campaign is { } campaign)
        {
            json.WriteString("campaign"u8, campaign);
        }
        else
        {
            json.WriteNull("campaign"u8);
        }

        json.WritePropertyName("message"u8);
        if (exported.Message is { } message)
        {
            // Re-written, not copied: a message is stored as sent, and may hold line breaks between its tokens.
            using var document = JsonDocument.Parse(message);
            document.RootElement.WriteTo(json);
        }
        else
        {
            json.WriteNullValue();
        }

        if (exported.SentAt is { } sentAt)
        {
            json.WriteString("sentAt"u8, time[..ExportFormats.FormatTime(sentAt, time)]);
        }
        else
        {
            json.WriteNull("sentAt"u8);
        }

        json.WriteBoolean("timeClamped"u8, exported.TimeClamped);
        json.WriteEndObject();
        await EndLineAsync((byte)'\n', cancellationToken);
    }

    /// <summary>The CSV header: the fixed columns, then one <c>properties.KEY</c> column per key.</summary>
    public async ValueTask WriteCsvHeaderAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var first = true;
        foreach (var column in FixedCsvColumns)
        {
            ExportFormats.WriteCsvField(pipe, column, first);
            first = false;
        }

        foreach (var key in keys)
        {
            ExportFormats.WriteCsvField(pipe, "properties." + key, first: false);
        }

        ExportFormats.WriteCsvLineEnd(pipe);
        await ExportFormats.FlushIfFullAsync(pipe, cancellationToken);
    }

    /// <summary>The columns before the properties, in order.</summary>
    public static readonly string[] FixedCsvColumns = ["id", "name", "externalId", "eventTime", "receivedAt", "campaign", "sentAt", "timeClamped"];

    /// <summary>One CSV row; <paramref name="columns"/> maps a key to its position among the property columns, <paramref name="values"/> is scratch space of that size.</summary>
    public async ValueTask WriteCsvAsync(ExportedEvent exported, Dictionary<string, int> columns, string?[] values, CancellationToken cancellationToken)
    {
        Array.Clear(values);
        foreach (var property in Pulse.Core.PropertyJson.Parse(exported.PropertiesJson))
        {
            if (columns.TryGetValue(property.Key, out var index))
            {
                values[index] = property.Value;
            }
        }

        ExportFormats.WriteCsvField(pipe, exported.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), first: true);
        ExportFormats.WriteCsvField(pipe, exported.Name, first: false);
        ExportFormats.WriteCsvField(pipe, exported.ExternalId, first: false);
        ExportFormats.WriteCsvField(pipe, ExportFormats.FormatTime(exported.EventTime), first: false);
        ExportFormats.WriteCsvField(pipe, ExportFormats.FormatTime(exported.ReceivedAt), first: false);
        ExportFormats.WriteCsvField(pipe, exported.Campaign, first: false);
        ExportFormats.WriteCsvField(pipe, exported.SentAt is { } sentAt ? ExportFormats.FormatTime(sentAt) : null, first: false);
        ExportFormats.WriteCsvField(pipe, exported.TimeClamped ? "true" : "false", first: false);
        foreach (var value in values)
        {
            ExportFormats.WriteCsvField(pipe, value, first: false);
        }

        ExportFormats.WriteCsvLineEnd(pipe);
        await FlushIfFullAsync(cancellationToken);
    }

    /// <summary>Sends what is left.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        _json.Flush();
        await pipe.FlushAsync(cancellationToken);
    }

    public void Dispose()
    {
        _json.Dispose();
        ArrayPool<byte>.Shared.Return(_utf8);
    }

    /// <summary>
    /// The stored list <c>[{"key":"k","value":"v"},...]</c> as an object <c>{"k":"v",...}</c>, in the stored order,
    /// read with a <see cref="Utf8JsonReader"/> over a reused buffer: no allocation per property.
    /// </summary>
    private void WriteProperties(string stored)
    {
        var length = Encoding.UTF8.GetMaxByteCount(stored.Length);
        if (_utf8.Length < length)
        {
            ArrayPool<byte>.Shared.Return(_utf8);
            _utf8 = ArrayPool<byte>.Shared.Rent(length);
        }

        var bytes = _utf8.AsSpan(0, Encoding.UTF8.GetBytes(stored, _utf8));
        var reader = new Utf8JsonReader(bytes);
        var json = _json;
        json.WriteStartObject();
        Span<byte> keyBuffer = stackalloc byte[512];
        var isKey = false;
        var depth = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    depth++;
                    break;
                case JsonTokenType.EndObject:
                    depth--;
                    break;
                case JsonTokenType.PropertyName when depth == 1:
                    isKey = reader.ValueTextEquals("key"u8);
                    break;
                case JsonTokenType.String when isKey:
                    // Keys are at most 100 characters (400 bytes); values are written as they come, after their key.
                    json.WritePropertyName(keyBuffer[..reader.CopyString(keyBuffer)]);
                    break;
                case JsonTokenType.String:
                    WriteStringValue(ref reader);
                    break;
            }
        }

        json.WriteEndObject();
    }

    private void WriteStringValue(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            _json.WriteStringValue(reader.ValueSpan);
            return;
        }

        Span<byte> value = stackalloc byte[2048]; // values are at most 500 characters
        _json.WriteStringValue(value[..reader.CopyString(value)]);
    }

    private ValueTask EndLineAsync(byte end, CancellationToken cancellationToken)
    {
        _json.Flush();
        _unflushed += _json.BytesCommitted + 1;
        _json.Reset();
        ExportFormats.WriteByte(pipe, end);
        Count++;
        if (_unflushed < ExportFormats.FlushBytes)
        {
            return ValueTask.CompletedTask;
        }

        _unflushed = 0;
        return FlushAsync(cancellationToken);
    }

    private ValueTask FlushIfFullAsync(CancellationToken cancellationToken)
    {
        Count++;
        return ExportFormats.FlushIfFullAsync(pipe, cancellationToken);
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken) => await pipe.FlushAsync(cancellationToken);
}
