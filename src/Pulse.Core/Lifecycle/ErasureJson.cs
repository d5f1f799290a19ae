using System.Text;
using System.Text.Json;

namespace Pulse.Core.Lifecycle;

/// <summary>The JSON arrays an erasure record keeps (its user ids, the aliased external ids), without reflection.</summary>
public static class ErasureJson
{
    public static string Ids(IEnumerable<long> ids) => Write(writer =>
    {
        foreach (var id in ids)
        {
            writer.WriteNumberValue(id);
        }
    });

    public static string Strings(IEnumerable<string> values) => Write(writer =>
    {
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
    });

    public static IReadOnlyList<long> ReadIds(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.GetInt64())];
    }

    public static IReadOnlyList<string> ReadStrings(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.GetString()!)];
    }

    private static string Write(Action<Utf8JsonWriter> items)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            items(writer);
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
