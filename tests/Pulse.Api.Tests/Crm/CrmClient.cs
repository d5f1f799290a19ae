using System.Net;
using System.Text.Json.Nodes;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Crm;

/// <summary>Small helpers that drive the CRM API as a client does, asserting the happy path.</summary>
public static class CrmClient
{
    public static async Task<long> CreateUserAsync(this HttpClient client, string externalId, string email = "someone@example.com")
    {
        var (response, body) = await client.PostAsync("/api/v1/users", new { externalId, userAttributes = $"{{\"email\":\"{email}\"}}" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body["data"]!["id"].Long();
    }

    public static async Task<long> CreateCampaignAsync(this HttpClient client, string name, params string[] keys)
    {
        var properties = keys.Select(k => new { key = k, value = "v-" + k }).ToArray();
        var (response, body) = await client.PostAsync("/api/v1/events/campaign", new { name, properties });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return body["data"]!["id"].Long();
    }

    public static async Task<JsonNode> SaveEventAsync(this HttpClient client, string name, string externalId, string? campaignName, params (string Key, string Value)[] properties)
    {
        var (response, body) = await client.PostAsync("/api/v1/events", new
        {
            name,
            campaignName,
            externalId,
            properties = properties.Select(p => new { key = p.Key, value = p.Value }).ToArray(),
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"expected 201, got {(int)response.StatusCode}: {body.Compact()}");
        return body["data"]!;
    }

    public static async Task<JsonArray> SearchAsync(this HttpClient client, string query)
    {
        var (response, body) = await client.GetJsonAsync("/api/v1/events?" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body.Compact()}");
        return body["data"]!["events"]!.AsArray();
    }

    public static string Encode(string value) => Uri.EscapeDataString(value);
}
