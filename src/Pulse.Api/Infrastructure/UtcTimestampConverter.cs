using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pulse.Api.Infrastructure;

/// <summary>Writes timestamps as ISO-8601 UTC with milliseconds (<c>2026-11-21T05:21:00.123Z</c>), as SPEC §2 asks.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
