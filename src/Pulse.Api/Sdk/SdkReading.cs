using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Pulse.Core.Sdk;

namespace Pulse.Api.Sdk;

/// <summary>A message the reader or the shared checks refused, as the 400 lists it.</summary>
public sealed record RejectedMessage(int Index, string? MessageId, string Reason);

/// <summary>What a protocol reader made of a request: the messages to store (with their index) and the rejected ones.</summary>
internal sealed class SdkBatch
{
    public List<(int Index, SdkMessage Message)> Accepted { get; } = [];

    public List<RejectedMessage> Rejected { get; } = [];

    public int Count { get; set; }

    /// <summary>Adds the message unless the checks both protocols share refuse it.</summary>
    public void Add(int index, SdkMessage message)
    {
        if (SdkService.Problem(message) is { } problem)
        {
            Rejected.Add(new RejectedMessage(index, message.MessageId, problem));
        }
        else
        {
            Accepted.Add((index, message));
        }
    }
}

internal static class SdkBatchSuppression
{
    /// <summary>Moves messages of erased and suppressed users to the rejected ones, like other invalid messages (docs/lifecycle.md).</summary>
    public static void RejectSuppressed(this SdkBatch batch, SdkService sdk)
    {
        for (var i = batch.Accepted.Count - 1; i >= 0; i--)
        {
            var (index, message) = batch.Accepted[i];
            if (sdk.Suppressed(message) is { } reason)
            {
                batch.Rejected.Add(new RejectedMessage(index, message.MessageId, reason));
                batch.Accepted.RemoveAt(i);
            }
        }
    }
}

/// <summary>Thrown by a reader when the request as a whole is not a batch of messages (a 400).</summary>
internal sealed class SdkRequestException(string message) : Exception(message);

/// <summary>Small, allocation-light readers of the JSON the SDKs send.</summary>
internal static class SdkJson
{
    public static JsonElement? Get(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static JsonElement? Object(JsonElement element, string name) => Get(element, name) is { ValueKind: JsonValueKind.Object } value ? value : null;

    public static string? String(JsonElement element, string name) => Get(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>An id: a string, or a number taken as its JSON text (SDKs accept both for user ids).</summary>
    public static string? Id(JsonElement element, string name) => Get(element, name) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString() is { Length: > 0 } text ? text : null,
        { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
        _ => null,
    };

    /// <summary>An ISO-8601 time; false when the field is present but not one.</summary>
    public static bool TryTime(JsonElement element, string name, out DateTimeOffset? time)
    {
        time = null;
        if (Get(element, name) is not { } value)
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        return false;
    }

    /// <summary>A non-empty object as compact JSON text, or null.</summary>
    public static string? ObjectText(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } value && value.EnumerateObject().Any() ? PropertyFlattener.Compact(value) : null;

    /// <summary>The object's JSON without the named members (a key sent in the body is never stored).</summary>
    public static string Without(JsonElement element, params ReadOnlySpan<string> names)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return PropertyFlattener.Compact(element);
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in element.EnumerateObject())
            {
                if (!names.Contains(property.Name))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string NewMessageId() => "pulse-" + Guid.CreateVersion7().ToString("N", CultureInfo.InvariantCulture);
}
