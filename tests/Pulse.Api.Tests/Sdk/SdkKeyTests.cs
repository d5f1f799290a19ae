using System.Net;
using System.Net.Http.Headers;
using Pulse.Api.Tests.Access;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Sdk;

/// <summary>A write key / project API key is a Pulse ingest key: in HTTP Basic, Bearer, or the body (writeKey, api_key).</summary>
public abstract class SdkKeyTests(IAccessFixture access)
{
    private readonly HttpClient _client = access.Fixture.Client;

    [Fact]
    public async Task An_ingest_key_is_taken_from_basic_bearer_or_the_body_and_other_keys_are_refused()
    {
        var ingest = await CreateKeyAsync("ingest");
        var read = await CreateKeyAsync("read");
        var name = TestEnvironment.Unique("keyed");
        object Segment(string? key) => new { writeKey = key, batch = new[] { new { type = "track", @event = name, userId = "k", messageId = TestEnvironment.Unique("m") } } };
        object PostHog(string? key) => new { api_key = key, batch = new[] { new { @event = name, distinct_id = "k", uuid = Guid.NewGuid().ToString() } } };

        var basic = await _client.SendSdkAsync("/v1/batch", Segment(null), authorization: SdkClient.Basic(ingest));
        var writeKey = await _client.SendSdkAsync("/v1/batch", Segment(ingest), gzip: true);
        var apiKey = await _client.SendSdkAsync("/batch/", PostHog(ingest), gzip: true);
        var bearer = await _client.SendSdkAsync("/capture", PostHog(null), authorization: new AuthenticationHeaderValue("Bearer", ingest));
        var none = await _client.SendSdkAsync("/v1/batch", Segment(null));
        var unknown = await _client.SendSdkAsync("/batch", PostHog("pk_ingest_unknown"));
        var readOnly = await _client.SendSdkAsync("/v1/batch", Segment(read));

        Assert.Equal(HttpStatusCode.OK, basic.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, writeKey.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, apiKey.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, none.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readOnly.Response.StatusCode);
        using var search = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/events?eventName={name}");
        search.Headers.Authorization = new AuthenticationHeaderValue("Bearer", IAccessFixture.BootstrapKey);
        var found = await Json.ReadAsync(await _client.SendAsync(search));
        var events = found["data"]!["events"]!.AsArray();
        Assert.Equal(4, events.Count);
        Assert.All(events, e => Assert.DoesNotContain(ingest, e!["message"]!.ToJsonString(), StringComparison.Ordinal));
    }

    private async Task<string> CreateKeyAsync(string scope)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/keys")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { name = "sdk " + scope, scopes = new[] { scope } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", IAccessFixture.BootstrapKey);
        var response = await _client.SendAsync(request);
        var body = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.Compact());
        return body["data"]!["key"].Str();
    }
}

public sealed class SdkKeyTests_Embedded(AccessEmbeddedFixture fixture) : SdkKeyTests(fixture), IClassFixture<AccessEmbeddedFixture>;

public sealed class SdkKeyTests_Server(AccessServerFixture fixture) : SdkKeyTests(fixture), IClassFixture<AccessServerFixture>;
