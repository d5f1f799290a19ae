using System.Text.Json;
using Pulse.Core.Caching;

namespace Pulse.Core;

/// <summary>A property list as stored on its event or campaign row: the JSON array as written, in order.</summary>
public static class PropertyJson
{
    public static string Serialize(IReadOnlyList<Property> properties) =>
        JsonSerializer.Serialize(properties as List<Property> ?? [.. properties], CoreJsonContext.Default.ListProperty);

    public static IReadOnlyList<Property> Parse(string json) =>
        JsonSerializer.Deserialize(json, CoreJsonContext.Default.ListProperty) ?? [];
}
