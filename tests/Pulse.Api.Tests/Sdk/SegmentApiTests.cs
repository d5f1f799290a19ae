using System.Net;
using System.Text.Json.Nodes;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Sdk;

/// <summary>Segment's HTTP Tracking API, as its SDKs and curl use it, read back through Pulse's search API.</summary>
public abstract class SegmentApiTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task A_track_is_stored_with_flattened_properties_and_found_as_the_issue_says()
    {
        var name = TestEnvironment.Unique("Order Completed");
        var user = TestEnvironment.Unique("u");
        var (response, body) = await _client.SendSdkAsync("/v1/track", new
        {
            @event = name,
            userId = user,
            messageId = TestEnvironment.Unique("m"),
            properties = new { revenue = 42.5, paid = true, tags = new[] { "a", "b" }, cart = new { items = 3, coupon = (string?)null } },
        });

        var found = await _client.SearchAsync($"eventName={CrmClient.Encode(name)}&where={CrmClient.Encode("cart.items&3&=&end")}");
        var more = await _client.SearchAsync($"eventName={CrmClient.Encode(name)}&where={CrmClient.Encode("revenue&40&>&end")}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body["success"]!.GetValue<bool>());
        var stored = Assert.Single(found)!;
        Assert.Single(more);
        Assert.Equal(user, stored["externalId"].Str());
        Assert.Equal("42.5", SdkClient.Property(stored, "revenue"));
        Assert.Equal("true", SdkClient.Property(stored, "paid"));
        Assert.Equal("""["a","b"]""", SdkClient.Property(stored, "tags"));
        Assert.DoesNotContain(stored["properties"]!.AsArray(), p => p!["key"].Str() == "cart.coupon");
        Assert.Equal(name, stored["message"]!["event"].Str());
        Assert.Null(stored["message"]!["properties"]!["cart"]!["coupon"]);
    }

    [Theory]
    [InlineData("identify", "identify")]
    [InlineData("page", "Page Viewed")]
    [InlineData("screen", "Screen Viewed")]
    [InlineData("group", "group")]
    [InlineData("alias", "alias")]
    [InlineData("track", "{event}")]
    public async Task Every_single_message_endpoint_stores_its_message_as_an_event(string type, string eventName)
    {
        var user = TestEnvironment.Unique("u");
        var track = TestEnvironment.Unique("t");
        var message = new JsonObject
        {
            ["userId"] = user,
            ["messageId"] = TestEnvironment.Unique("m"),
            ["event"] = track,
            ["name"] = "Home",
            ["groupId"] = "g-1",
            ["previousId"] = TestEnvironment.Unique("anon"),
            ["traits"] = new JsonObject { ["plan"] = "pro" },
        };

        var (response, _) = await _client.SendSdkAsync("/v1/" + type, message.ToJsonString());
        var found = await _client.SearchAsync($"eventName={CrmClient.Encode(eventName.Replace("{event}", track, StringComparison.Ordinal))}&externalId={user}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(found);
    }

    [Theory]
    [InlineData("/v1/batch")]
    [InlineData("/v1/import")]
    public async Task A_gzipped_batch_stores_every_message_in_order_with_the_batchs_sent_at(string path)
    {
        var name = TestEnvironment.Unique("batch");
        var user = TestEnvironment.Unique("u");
        var sentAt = DateTimeOffset.UtcNow;
        var batch = Enumerable.Range(0, 50).Select(i => new
        {
            type = "track",
            @event = name,
            userId = user,
            messageId = TestEnvironment.Unique("m"),
            timestamp = SdkClient.Iso(sentAt.AddMinutes(-i)),
            properties = new { i },
        }).ToArray();

        var (response, _) = await _client.SendSdkAsync(path, new { batch, sentAt = SdkClient.Iso(sentAt) }, gzip: true);
        var found = await _client.FindAllAsync($"eventName={name}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), found.Select(e => SdkClient.Property(e, "i")));
        Assert.All(found, e => Assert.Equal(SdkClient.Iso(sentAt), e["sentAt"].Str()));
    }

    [Fact]
    public async Task The_batchs_context_and_integrations_are_merged_into_each_stored_message_its_own_keys_winning()
    {
        var name = TestEnvironment.Unique("ctx");
        var body = new JsonObject
        {
            ["context"] = new JsonObject { ["app"] = new JsonObject { ["name"] = "shop" }, ["locale"] = "ko-KR" },
            ["integrations"] = new JsonObject { ["All"] = false },
            ["batch"] = new JsonArray
            {
                new JsonObject { ["type"] = "track", ["event"] = name, ["userId"] = "c", ["messageId"] = name + "-1", ["context"] = new JsonObject { ["locale"] = "en-GB" } },
                new JsonObject { ["type"] = "track", ["event"] = name, ["userId"] = "c", ["messageId"] = name + "-2" },
            },
        };

        var (response, _) = await _client.SendSdkAsync("/v1/batch", body.ToJsonString());
        var found = await _client.SearchAsync($"eventName={name}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["en-GB", "ko-KR"], found.Select(e => e!["message"]!["context"]!["locale"].Str()));
        Assert.All(found, e => Assert.Equal("shop", e!["message"]!["context"]!["app"]!["name"].Str()));
        Assert.All(found, e => Assert.False(e!["message"]!["integrations"]!["All"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task A_batch_with_malformed_messages_stores_the_valid_ones_and_lists_each_rejected_one()
    {
        var name = TestEnvironment.Unique("mixed");
        var user = TestEnvironment.Unique("u");
        var batch = new JsonArray
        {
            new JsonObject { ["type"] = "track", ["event"] = name, ["userId"] = user, ["messageId"] = "ok-" + name },
            new JsonObject { ["type"] = "track", ["event"] = name, ["messageId"] = "nouser-" + name },
            new JsonObject { ["type"] = "track", ["userId"] = user, ["messageId"] = "noevent-" + name },
            new JsonObject { ["type"] = "shout", ["userId"] = user, ["messageId"] = "type-" + name },
            new JsonObject { ["type"] = "track", ["event"] = name, ["userId"] = user, ["timestamp"] = "yesterday", ["messageId"] = "time-" + name },
            JsonValue.Create(7),
            new JsonObject { ["type"] = "track", ["event"] = name, ["anonymousId"] = user, ["messageId"] = "anon-" + name },
        };

        var (response, body) = await _client.SendSdkAsync("/v1/batch", new JsonObject { ["batch"] = batch }.ToJsonString());
        var found = await _client.SearchAsync($"eventName={name}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(2, body["stored"]!.GetValue<int>());
        var rejected = body["rejected"]!.AsArray();
        Assert.Equal([1L, 2L, 3L, 4L, 5L], rejected.Select(r => r!["index"].Long()));
        Assert.Equal("nouser-" + name, rejected[0]!["messageId"].Str());
        Assert.Contains("userId", rejected[0]!["reason"].Str(), StringComparison.Ordinal);
        Assert.Contains("event", rejected[1]!["reason"].Str(), StringComparison.Ordinal);
        Assert.Contains("type", rejected[2]!["reason"].Str(), StringComparison.Ordinal);
        Assert.Contains("timestamp", rejected[3]!["reason"].Str(), StringComparison.Ordinal);
        Assert.Equal(["ok-" + name, "anon-" + name], found.Select(e => e!["message"]!["messageId"].Str()));
    }

    [Theory]
    [InlineData("{\"batch\": 5}")]
    [InlineData("{\"batch\": []}")]
    [InlineData("[1, 2]")]
    [InlineData("{\"batch\": [")]
    public async Task A_body_that_is_not_a_batch_is_a_bad_request_and_stores_nothing(string body)
    {
        var (response, problem) = await _client.SendSdkAsync("/v1/batch", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, problem["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Bodies_over_the_limit_are_refused_with_413_before_and_after_decompression()
    {
        var padding = new string('x', 5 * 1024 * 1024);
        var batch = new[] { new { type = "track", @event = "big", userId = "u", properties = new { padding } } };

        var (plain, _) = await _client.SendSdkAsync("/v1/batch", new { batch });
        var (zipped, _) = await _client.SendSdkAsync("/v1/batch", new { batch }, gzip: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, plain.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, zipped.StatusCode);
    }

    [Fact]
    public async Task A_message_over_64_KiB_is_rejected_alone_and_a_400_KiB_batch_is_stored()
    {
        var name = TestEnvironment.Unique("sized");
        var batch = Enumerable.Range(0, 20).Select(i => new
        {
            type = "track",
            @event = name,
            userId = "sized-user",
            messageId = TestEnvironment.Unique("m"),
            properties = new { padding = new string('p', i == 3 ? 70 * 1024 : 20 * 1024) },
        }).ToArray();

        var (response, body) = await _client.SendSdkAsync("/v1/batch", new { batch });
        var found = await _client.FindAllAsync($"eventName={name}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(3, Assert.Single(body["rejected"]!.AsArray())!["index"].Long());
        Assert.Equal(19, found.Count);
        Assert.All(found, e => Assert.DoesNotContain(e["properties"]!.AsArray(), p => p!["key"].Str() == "padding")); // over 500 characters: not indexed
        Assert.All(found, e => Assert.Equal(20 * 1024, e["message"]!["properties"]!["padding"].Str().Length));
    }

    [Fact]
    public async Task Event_time_corrects_the_client_clock_honours_backdating_and_clamps_the_far_future()
    {
        var name = TestEnvironment.Unique("time");
        var now = DateTimeOffset.UtcNow;
        // The client's clock is 2 hours fast: sent "now+2h", happened 10 minutes before sending.
        var skewed = new { type = "track", @event = name, userId = "t-user", messageId = TestEnvironment.Unique("m"), properties = new { kind = "skewed" }, timestamp = SdkClient.Iso(now.AddHours(2).AddMinutes(-10)), sentAt = SdkClient.Iso(now.AddHours(2)) };
        var backdated = new { type = "track", @event = name, userId = "t-user", messageId = TestEnvironment.Unique("m"), properties = new { kind = "backdated" }, timestamp = SdkClient.Iso(now.AddDays(-5)) };
        var future = new { type = "track", @event = name, userId = "t-user", messageId = TestEnvironment.Unique("m"), properties = new { kind = "future" }, timestamp = SdkClient.Iso(now.AddDays(3)) };
        var untimed = new { type = "track", @event = name, userId = "t-user", messageId = TestEnvironment.Unique("m"), properties = new { kind = "untimed" } };

        foreach (var message in new object[] { skewed, backdated, future, untimed })
        {
            var (response, _) = await _client.SendSdkAsync("/v1/track", message);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var all = (await _client.FindAllAsync($"eventName={name}")).ToDictionary(e => SdkClient.Property(e, "kind"));
        var fiveDaysAgo = await _client.SearchAsync($"eventName={name}&from={SdkClient.Iso(now.AddDays(-6))}&to={SdkClient.Iso(now.AddDays(-4))}");

        Assert.InRange(Parse(all["skewed"]["timestamp"]) - Parse(all["skewed"]["receivedAt"]), TimeSpan.FromMinutes(-10.1), TimeSpan.FromMinutes(-9.9));
        Assert.Equal(SdkClient.Iso(now.AddDays(-5)), all["backdated"]["timestamp"].Str());
        Assert.Equal(all["future"]["receivedAt"].Str(), all["future"]["timestamp"].Str());
        Assert.True(all["future"]["timeClamped"]!.GetValue<bool>());
        Assert.Null(all["backdated"]["timeClamped"]);
        Assert.Equal(all["untimed"]["receivedAt"].Str(), all["untimed"]["timestamp"].Str());
        Assert.Equal("backdated", SdkClient.Property(Assert.Single(fiveDaysAgo)!, "kind"));
    }

    [Fact]
    public async Task Identify_merges_traits_into_the_user_and_the_crm_email_rule_does_not_apply()
    {
        var user = TestEnvironment.Unique("traits");
        await _client.SendSdkAsync("/v1/identify", new { userId = user, messageId = TestEnvironment.Unique("m"), traits = new { plan = "free", name = "Kim" } });
        await _client.SendSdkAsync("/v1/identify", new { userId = user, messageId = TestEnvironment.Unique("m"), traits = new { plan = "pro", seats = 3 } });

        var attributes = await _client.AttributesAsync(user);

        Assert.Equal("pro", attributes["plan"].Str());
        Assert.Equal("Kim", attributes["name"].Str());
        Assert.Equal(3, attributes["seats"]!.GetValue<int>());
    }

    [Fact]
    public async Task After_an_alias_a_search_by_the_known_id_finds_the_anonymous_events()
    {
        var name = TestEnvironment.Unique("journey");
        var anonymous = TestEnvironment.Unique("anon");
        var known = TestEnvironment.Unique("known");
        await _client.SendSdkAsync("/v1/track", new { anonymousId = anonymous, @event = name, messageId = TestEnvironment.Unique("m") });
        var before = await _client.SearchAsync($"eventName={name}&externalId={known}");
        await _client.SendSdkAsync("/v1/alias", new { userId = known, previousId = anonymous, messageId = TestEnvironment.Unique("m") });
        await _client.SendSdkAsync("/v1/track", new { userId = known, @event = name, messageId = TestEnvironment.Unique("m") });
        await _client.SendSdkAsync("/v1/track", new { anonymousId = anonymous, @event = name, messageId = TestEnvironment.Unique("m") });

        var after = await _client.SearchAsync($"eventName={name}&externalId={known}");
        var anonymousOnly = await _client.SearchAsync($"eventName={name}&externalId={anonymous}");

        Assert.Empty(before);
        Assert.Equal([anonymous, known, anonymous], after.Select(e => e!["externalId"].Str()));
        Assert.Equal(2, anonymousOnly.Count);
    }

    [Fact]
    public async Task A_message_naming_a_campaign_is_linked_when_it_carries_the_campaigns_keys()
    {
        var campaign = TestEnvironment.Unique("sdk-campaign");
        var campaignId = await _client.CreateCampaignAsync(campaign, "action", "amount");
        var name = TestEnvironment.Unique("campaigned");
        await _client.SendSdkAsync("/v1/track", new { userId = "c-user", @event = name, messageId = TestEnvironment.Unique("m"), properties = new { campaignName = campaign, action = "buy", amount = 5 } });
        await _client.SendSdkAsync("/v1/track", new { userId = "c-user", @event = name, messageId = TestEnvironment.Unique("m"), properties = new { action = "buy", amount = 6 }, context = new { campaign = new { name = campaign } } });
        await _client.SendSdkAsync("/v1/track", new { userId = "c-user", @event = name, messageId = TestEnvironment.Unique("m"), properties = new { campaignName = campaign, action = "buy" } });

        var (_, details) = await _client.GetJsonAsync($"/api/v1/events/campaign/{campaignId}");

        Assert.Equal(2, details["data"]!["linkedEventCount"].Long());
    }

    private static DateTimeOffset Parse(JsonNode? node) => DateTimeOffset.Parse(node.Str(), System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class SegmentApiTests_Embedded(EmbeddedFixture fixture) : SegmentApiTests(fixture), IClassFixture<EmbeddedFixture>;

public sealed class SegmentApiTests_Server(ServerFixture fixture) : SegmentApiTests(fixture), IClassFixture<ServerFixture>;
