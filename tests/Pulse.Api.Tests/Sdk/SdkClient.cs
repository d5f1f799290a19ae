using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Sdk;

/// <summary>Sends what the SDKs send (JSON, optionally gzipped, optionally with a key) and reads back through the search API.</summary>
public static class SdkClient
{
    public static async Task<(HttpResponseMessage Response, JsonNode Body)> SendSdkAsync(
        this HttpClient client, string path, object body, bool gzip = false, AuthenticationHeaderValue? authorization = null)
    {
        var json = body as string ?? JsonSerializer.Serialize(body);
        var bytes = Encoding.UTF8.GetBytes(json);
        if (gzip)
        {
            using var buffer = new MemoryStream();
            using (var zip = new GZipStream(buffer, CompressionLevel.Fastest))
            {
                zip.Write(bytes);
            }

            bytes = buffer.ToArray();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (gzip && !path.Contains("compression=", StringComparison.Ordinal))
        {
            request.Content.Headers.ContentEncoding.Add("gzip");
        }

        request.Headers.Authorization = authorization;
        var response = await client.SendAsync(request);
        return (response, await Json.ReadAsync(response));
    }

    public static AuthenticationHeaderValue Basic(string key) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));

    /// <summary>Every event matching the query (all pages).</summary>
    /// <summary>A user's attributes as a JSON object, found by paging the user listing.</summary>
    public static async Task<JsonObject> AttributesAsync(this HttpClient client, string externalId)
    {
        for (var page = 0; ; page++)
        {
            var (_, body) = await client.GetJsonAsync($"/api/v1/users?page={page}&size=100");
            var content = body["data"]!["users"]!["content"]!.AsArray();
            Assert.NotEmpty(content);
            if (content.FirstOrDefault(u => u!["externalId"].Str() == externalId) is { } user)
            {
                return JsonNode.Parse(user["userAttributes"].Str())!.AsObject();
            }
        }
    }

    public static async Task<List<JsonNode>> FindAllAsync(this HttpClient client, string query)
    {
        var found = new List<JsonNode>();
        long? after = null;
        do
        {
            var (response, body) = await client.GetJsonAsync($"/api/v1/events?{query}&limit=1000" + (after is { } a ? $"&after={a}" : ""));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"search answered {(int)response.StatusCode}: {body.Compact()}");
            found.AddRange(body["data"]!["events"]!.AsArray().Select(e => e!));
            after = body["data"]!["nextCursor"] is { } next ? next.GetValue<long>() : null;
        }
        while (after is not null);

        return found;
    }

    public static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static string Property(JsonNode stored, string key) =>
        stored["properties"]!.AsArray().Single(p => p!["key"].Str() == key)!["value"].Str();
}
