using System.Net;
using System.Text.Json.Nodes;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Sdk;

/// <summary>PostHog's capture API, in the shapes posthog-node and posthog-js send, read back through Pulse's search API.</summary>
public abstract class PostHogApiTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Theory]
    [InlineData("/batch/", true)]
    [InlineData("/batch", false)]
    [InlineData("/capture/", true)]
    [InlineData("/e", true)]
    [InlineData("/i/v0/e/", false)]
    public async Task A_batch_is_stored_on_every_capture_path(string path, bool gzip)
    {
        var name = TestEnvironment.Unique("ph");
        var user = TestEnvironment.Unique("d");
        var batch = Enumerable.Range(0, 5).Select(i => new
        {
            @event = name,
            distinct_id = user,
            uuid = Guid.NewGuid().ToString(),
            timestamp = SdkClient.Iso(DateTimeOffset.UtcNow),
            properties = new Dictionary<string, object> { ["$lib"] = "posthog-node", ["i"] = i, ["nested"] = new { deep = new { value = "x" + i } } },
        }).ToArray();

        var (response, body) = await _client.SendSdkAsync(path, new { api_key = "phc_ignored_while_open", batch, sent_at = SdkClient.Iso(DateTimeOffset.UtcNow) }, gzip);
        var found = await _client.FindAllAsync($"eventName={name}&where={CrmClient.Encode("nested.deep.value&x3&=&end")}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Ok", body["status"].Str());
        var stored = Assert.Single(found);
        Assert.Equal(user, stored["externalId"].Str());
        Assert.Equal("posthog-node", SdkClient.Property(stored, "$lib"));
        Assert.Null(stored["message"]!["api_key"]);
        Assert.Equal(5, (await _client.FindAllAsync($"eventName={name}")).Count);
    }

    [Fact]
    public async Task A_single_event_with_compression_gzip_js_and_distinct_id_in_properties_is_stored_without_its_key()
    {
        var name = TestEnvironment.Unique("single");
        var user = TestEnvironment.Unique("d");

        var (response, _) = await _client.SendSdkAsync("/capture/?compression=gzip-js", new { api_key = "phc_x", @event = name, properties = new { distinct_id = user, color = "red" } }, gzip: true);
        var stored = Assert.Single(await _client.SearchAsync($"eventName={name}"))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(user, stored["externalId"].Str());
        Assert.Equal("red", SdkClient.Property(stored, "color"));
        Assert.Null(stored["message"]!["api_key"]);
    }

    [Fact]
    public async Task Set_and_set_once_update_the_users_attributes_in_message_order()
    {
        var user = TestEnvironment.Unique("person");
        var batch = new JsonArray
        {
            Event("$identify", user, new JsonObject { ["$set"] = new JsonObject { ["plan"] = "free" }, ["$set_once"] = new JsonObject { ["first_seen"] = "monday" } }),
            Event("clicked", user, new JsonObject { ["$set"] = new JsonObject { ["plan"] = "pro" }, ["$set_once"] = new JsonObject { ["first_seen"] = "tuesday", ["source"] = "ad" } }),
            Event("$set", user, new JsonObject { ["$set"] = new JsonObject { ["email"] = "p@example.com" } }),
        };

        var (response, _) = await _client.SendSdkAsync("/batch/", new JsonObject { ["api_key"] = "k", ["batch"] = batch }.ToJsonString());
        var attributes = await _client.AttributesAsync(user);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pro", attributes["plan"].Str());
        Assert.Equal("monday", attributes["first_seen"].Str());
        Assert.Equal("ad", attributes["source"].Str());
        Assert.Equal("p@example.com", attributes["email"].Str());
    }

    [Theory]
    [InlineData("$create_alias")]
    [InlineData("$identify")]
    public async Task Create_alias_and_identify_with_an_anonymous_id_link_the_anonymous_events(string linking)
    {
        var name = TestEnvironment.Unique("funnel");
        var anonymous = TestEnvironment.Unique("anon");
        var known = TestEnvironment.Unique("known");
        var link = linking == "$create_alias"
            ? Event(linking, known, new JsonObject { ["alias"] = anonymous })
            : Event(linking, known, new JsonObject { ["$anon_distinct_id"] = anonymous });
        var batch = new JsonArray { Event(name, anonymous, []), link, Event(name, known, []) };

        var (response, _) = await _client.SendSdkAsync("/batch", new JsonObject { ["batch"] = batch }.ToJsonString());
        var found = await _client.SearchAsync($"eventName={name}&externalId={known}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([anonymous, known], found.Select(e => e!["externalId"].Str()));
    }

    [Fact]
    public async Task Events_without_a_name_or_a_distinct_id_are_listed_and_the_rest_stored()
    {
        var name = TestEnvironment.Unique("partial");
        var batch = new JsonArray
        {
            Event(name, "someone", []),
            new JsonObject { ["distinct_id"] = "someone", ["uuid"] = "no-name" },
            new JsonObject { ["event"] = name, ["uuid"] = "no-distinct" },
        };

        var (response, body) = await _client.SendSdkAsync("/batch", new JsonObject { ["batch"] = batch }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["no-name", "no-distinct"], body["rejected"]!.AsArray().Select(r => r!["messageId"].Str()));
        Assert.Single(await _client.SearchAsync($"eventName={name}"));
    }

    private static JsonObject Event(string name, string distinctId, JsonObject properties) => new()
    {
        ["event"] = name,
        ["distinct_id"] = distinctId,
        ["uuid"] = Guid.NewGuid().ToString(),
        ["properties"] = properties,
    };

}

public sealed class PostHogApiTests_Embedded(EmbeddedFixture fixture) : PostHogApiTests(fixture), IClassFixture<EmbeddedFixture>;

public sealed class PostHogApiTests_Server(ServerFixture fixture) : PostHogApiTests(fixture), IClassFixture<ServerFixture>;
