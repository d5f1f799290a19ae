using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pulse.Core.Sdk;

/// <summary>Merges SDK traits into a user's attributes (a JSON object kept as text).</summary>
public static class UserAttributes
{
    /// <summary>
    /// <paramref name="current"/> with every top-level key of <paramref name="setOnce"/> it lacks, then every key of
    /// <paramref name="set"/> (its values win), as Segment's identify and PostHog's $set / $set_once do. Nested objects
    /// are replaced, not merged. Attributes that are not a JSON object (never written by Pulse) are kept under
    /// <c>"$previous"</c> rather than lost.
    /// </summary>
    public static string Merge(string current, string? set, string? setOnce)
    {
        var merged = Parse(current) ?? [];
        if (setOnce is not null && Parse(setOnce) is { } once)
        {
            foreach (var (key, value) in once.ToList())
            {
                if (!merged.ContainsKey(key))
                {
                    once.Remove(key);
                    merged[key] = value;
                }
            }
        }

        if (set is not null && Parse(set) is { } later)
        {
            foreach (var (key, value) in later.ToList())
            {
                later.Remove(key);
                merged[key] = value;
            }
        }

        return merged.ToJsonString();

        JsonObject? Parse(string json)
        {
            try
            {
                return JsonNode.Parse(json) as JsonObject ?? (json == current ? new JsonObject { ["$previous"] = json } : null);
            }
            catch (JsonException)
            {
                return json == current ? new JsonObject { ["$previous"] = json } : null;
            }
        }
    }
}
