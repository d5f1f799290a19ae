using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pulse.Api.Tests.Infrastructure;

/// <summary>Tests read responses as JSON trees, as a client in any language would.</summary>
public static class Json
{
    public static async Task<(HttpResponseMessage Response, JsonNode Body)> PostAsync(this HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        return (response, await ReadAsync(response));
    }

    public static async Task<(HttpResponseMessage Response, JsonNode Body)> PostRawAsync(this HttpClient client, string url, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync(url, content);
        return (response, await ReadAsync(response));
    }

    public static async Task<(HttpResponseMessage Response, JsonNode Body)> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        return (response, await ReadAsync(response));
    }

    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return string.IsNullOrEmpty(text) ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
    }

    public static string Str(this JsonNode? node) => node!.GetValue<string>();

    public static long Long(this JsonNode? node) => node!.GetValue<long>();

    public static string Compact(this JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
