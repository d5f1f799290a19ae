using System.Text.Json;

namespace Pulse.Core.Sdk;

/// <summary>
/// Turns an SDK message's nested properties into the flat key/value rows the <c>where</c> DSL searches: objects become
/// dot paths (<c>cart.items</c>), strings stay as they are, numbers keep their JSON text (so they compare numerically
/// where they look like <c>-?\d+(\.\d+)?</c>), booleans become <c>true</c> / <c>false</c>, arrays their JSON text;
/// nulls and empty objects are left out. Rows whose key is longer than <see cref="Limits.MaxPropertyKeyLength"/> or
/// whose value is longer than <see cref="Limits.MaxPropertyValueLength"/> (the CRM limits, which keep an index entry
/// inside PostgreSQL's B-tree limit), and rows past <see cref="SdkLimits.MaxIndexedProperties"/>, are not indexed:
/// they stay in the message as sent, which searches return.
/// </summary>
public static class PropertyFlattener
{
    public static List<Property> Flatten(JsonElement? properties, IEnumerable<Property>? extra = null)
    {
        var result = new List<Property>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (extra is not null)
        {
            foreach (var property in extra)
            {
                Add(result, seen, property.Key, property.Value);
            }
        }

        if (properties is { ValueKind: JsonValueKind.Object } root)
        {
            Walk(result, seen, root, prefix: null);
        }

        return result;
    }

    private static void Walk(List<Property> result, HashSet<string> seen, JsonElement element, string? prefix)
    {
        foreach (var property in element.EnumerateObject())
        {
            var key = prefix is null ? property.Name : prefix + "." + property.Name;
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    Walk(result, seen, value, key);
                    break;
                case JsonValueKind.String:
                    Add(result, seen, key, value.GetString()!);
                    break;
                case JsonValueKind.Number:
                    Add(result, seen, key, value.GetRawText());
                    break;
                case JsonValueKind.Array:
                    Add(result, seen, key, Compact(value));
                    break;
                case JsonValueKind.True:
                    Add(result, seen, key, "true");
                    break;
                case JsonValueKind.False:
                    Add(result, seen, key, "false");
                    break;
            }
        }
    }

    /// <summary>The element's JSON without the whitespace it was sent with.</summary>
    public static string Compact(JsonElement element)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            element.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Add(List<Property> result, HashSet<string> seen, string key, string value)
    {
        if (result.Count < SdkLimits.MaxIndexedProperties
            && key.Length is > 0 and <= Limits.MaxPropertyKeyLength
            && value.Length <= Limits.MaxPropertyValueLength
            && seen.Add(key))
        {
            result.Add(new Property(key, value));
        }
    }
}
