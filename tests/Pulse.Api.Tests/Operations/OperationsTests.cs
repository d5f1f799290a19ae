using System.Net;
using System.Text.Json.Nodes;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Operations;

public abstract class OperationsTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Liveness_and_readiness_answer_ok_with_every_dependency_checked()
    {
        var (live, _) = await _client.GetJsonAsync("/health/live");
        JsonNode body = new JsonObject();
        // Each probe has 2 s to answer, which a busy machine can exceed once: ask until ready.
        await Eventually.HoldsAsync(async () =>
        {
            (var ready, body) = await _client.GetJsonAsync("/health/ready");
            return ready.StatusCode == HttpStatusCode.OK;
        }, "readiness answering 200");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var checks = body["checks"]!.AsArray().Select(c => c!["name"].Str()).ToList();
        Assert.Equal(fixture.Mode == "embedded" ? ["sqlite"] : ["postgres", "redis"], checks.Order());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_crm_api()
    {
        var (response, body) = await _client.GetJsonAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = body["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/v1/events", paths);
        Assert.Contains("/api/v1/events/batch", paths);
        Assert.Contains("/api/v1/users", paths);
        Assert.Contains("/api/v1/events/campaign/{id}", paths);
    }

    [Fact]
    public async Task The_interactive_api_page_is_served()
    {
        var response = await _client.GetAsync("/docs/index.html");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", html, StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class OperationsTests_Embedded(EmbeddedFixture fixture) : OperationsTests(fixture), IClassFixture<EmbeddedFixture>;

public sealed class OperationsTests_Server(ServerFixture fixture) : OperationsTests(fixture), IClassFixture<ServerFixture>;
