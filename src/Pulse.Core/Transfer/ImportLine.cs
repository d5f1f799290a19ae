using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pulse.Core.Sdk;

namespace Pulse.Core.Transfer;

/// <summary>
/// One line of an NDJSON export, parsed and checked: the fields the import stores, and its dedupe key.
/// </summary>
/// <remarks>
/// The key is the SHA-256 of the line's content as parsed (the source's id, name, user, both times, the properties in
/// order, campaign, message, sentAt, timeClamped), each field length-prefixed, so it does not depend on white space or
/// key order in the line. The source id is part of it: two events alike in everything but their id (the same user
/// sending the same event twice in one millisecond, as load tests do) stay two events, and the same file imported twice
/// gives the same keys. A line without an id is keyed by its content alone.
/// </remarks>
public sealed record ImportLine(
    long? SourceId,
    string Name,
    string ExternalId,
    IReadOnlyList<Property> Properties,
    DateTimeOffset EventTime,
    DateTimeOffset ReceivedAt,
    string? Campaign,
    string? Message,
    DateTimeOffset? SentAt,
    bool TimeClamped)
{
    /// <summary>Parses one line (UTF-8 JSON object); returns null and the reason when it cannot be imported.</summary>
    public static ImportLine? Parse(ReadOnlySpan<byte> utf8, out string? problem)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using var document = JsonDocument.ParseValue(ref reader);
            return Read(document.RootElement, out problem);
        }
        catch (JsonException exception)
        {
            problem = "not valid JSON: " + exception.Message;
            return null;
        }
    }

    private static ImportLine? Read(JsonElement root, out string? problem)
    {
        problem = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "a line must be a JSON object";
            return null;
        }

        long? id = null;
        if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind != JsonValueKind.Null)
        {
            if (!idElement.TryGetInt64(out var value))
            {
                problem = "'id' must be an integer";
                return null;
            }

            id = value;
        }

        var name = Text(root, "name", Limits.MaxNameLength, required: true, ref problem);
        var externalId = Text(root, "externalId", Limits.MaxExternalIdLength, required: true, ref problem);
        var eventTime = Time(root, "eventTime", required: true, ref problem);
        var receivedAt = Time(root, "receivedAt", required: false, ref problem) ?? eventTime;
        var campaign = Text(root, "campaign", Limits.MaxNameLength, required: false, ref problem);
        var sentAt = Time(root, "sentAt", required: false, ref problem);
        var properties = ReadProperties(root, ref problem);
        string? message = null;
        if (root.TryGetProperty("message", out var messageElement) && messageElement.ValueKind != JsonValueKind.Null)
        {
            message = messageElement.ValueKind == JsonValueKind.Object ? messageElement.GetRawText() : null;
            if (message is null)
            {
                problem ??= "'message' must be a JSON object or null";
            }
            else if (Encoding.UTF8.GetByteCount(message) > SdkLimits.MaxMessageBytes)
            {
                problem ??= $"'message' is larger than {SdkLimits.MaxMessageBytes / 1024} KiB";
            }
        }

        var clamped = false;
        if (root.TryGetProperty("timeClamped", out var clampedElement) && clampedElement.ValueKind != JsonValueKind.Null)
        {
            if (clampedElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                problem ??= "'timeClamped' must be true or false";
            }
            else
            {
                clamped = clampedElement.GetBoolean();
            }
        }

        if (problem is not null)
        {
            return null;
        }

        return new ImportLine(id, name!, externalId!, properties!, eventTime!.Value, receivedAt!.Value, campaign, message, sentAt, clamped);
    }

    /// <summary>The dedupe key: see the remarks on <see cref="ImportLine"/>.</summary>
    public byte[] Key()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, SourceId is { } id ? id.ToString(CultureInfo.InvariantCulture) : null);
        Append(hash, Name);
        Append(hash, ExternalId);
        Append(hash, Milliseconds(EventTime));
        Append(hash, Milliseconds(ReceivedAt));
        Append(hash, Properties.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var property in Properties)
        {
            Append(hash, property.Key);
            Append(hash, property.Value);
        }

        Append(hash, Campaign);
        Append(hash, Message);
        Append(hash, SentAt is { } sentAt ? Milliseconds(sentAt) : null);
        Append(hash, TimeClamped ? "1" : "0");
        return hash.GetHashAndReset();
    }

    private static string Milliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static void Append(IncrementalHash hash, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32LittleEndian(length, -1);
            hash.AppendData(length);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }

    private static string? Text(JsonElement root, string field, int maxLength, bool required, ref string? problem)
    {
        if (!root.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problem ??= $"'{field}' is required";
            }

            return null;
        }

        if (element.ValueKind != JsonValueKind.String || element.GetString() is not { } text || string.IsNullOrWhiteSpace(text) || text.Length > maxLength)
        {
            problem ??= $"'{field}' must be a non-blank string of at most {maxLength} characters";
            return null;
        }

        return text;
    }

    private static DateTimeOffset? Time(JsonElement root, string field, bool required, ref string? problem)
    {
        if (!root.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problem ??= $"'{field}' is required";
            }

            return null;
        }

        if (element.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        problem ??= $"'{field}' must be an ISO-8601 timestamp such as 2026-11-21T05:21:00.000Z";
        return null;
    }

    private static List<Property>? ReadProperties(JsonElement root, ref string? problem)
    {
        if (!root.TryGetProperty("properties", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            problem ??= "'properties' must be a JSON object of strings";
            return null;
        }

        var properties = new List<Property>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (properties.Count == SdkLimits.MaxIndexedProperties)
            {
                problem ??= $"at most {SdkLimits.MaxIndexedProperties} properties";
                return null;
            }

            if (property.Name.Length is 0 or > Limits.MaxPropertyKeyLength || !seen.Add(property.Name))
            {
                problem ??= $"property keys must be unique and 1 to {Limits.MaxPropertyKeyLength} characters ('{Truncate(property.Name)}')";
                return null;
            }

            if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString() is not { Length: <= Limits.MaxPropertyValueLength } value)
            {
                problem ??= $"property '{Truncate(property.Name)}' must be a string of at most {Limits.MaxPropertyValueLength} characters";
                return null;
            }

            properties.Add(new Property(property.Name, value));
        }

        return properties;
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
