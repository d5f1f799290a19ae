using System.Net;
using System.Text.Json.Nodes;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Sdk;

namespace Pulse.Api.Tests.Lifecycle;

/// <summary>
/// <c>?suppress=true</c>: every ingestion path refuses the erased id with a 422 problem (an SDK batch rejects that
/// message only), until the suppression is lifted; in both modes.
/// </summary>
public abstract class SuppressionTests(IErasureFixture erasure)
{
    private readonly HttpClient _client = erasure.Admin;

    [Fact]
    public async Task Every_ingestion_path_refuses_a_suppressed_id_until_the_suppression_is_lifted()
    {
        var externalId = "suppressed-" + Guid.NewGuid().ToString("N");
        var userId = await _client.CreateUserAsync(externalId);
        var post = await _client.CreatePostAsync(Random.Shared.NextInt64(1L << 40, 1L << 50), "suppression");

        var erased = await _client.EraseAsync(externalId, suppress: true);
        Assert.True(erased["suppressed"]!.GetValue<bool>());
        var (_, listed) = await _client.GetJsonAsync("/api/v1/suppressions");
        Assert.Contains(listed["data"]!["suppressions"]!.AsArray(), s => s!["externalId"].Str() == externalId && s["erasureId"].Long() == erased["id"].Long());

        foreach (var (path, body, batch) in Paths(externalId, userId, post))
        {
            var (response, answer) = await _client.PostRawAsync(path, body);
            if (batch)
            {
                // Batches answer per item: the item is refused with the same status.
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {answer.Compact()}");
                var items = (answer["data"]?["results"] ?? answer["results"] ?? answer)!.AsArray();
                Assert.Equal(422, items[0]!["status"]!.GetValue<int>());
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{path}: {(int)response.StatusCode} {answer.Compact()}");
                Assert.Equal("User suppressed", answer["title"].Str());
                Assert.Contains("suppressed", answer["detail"].Str(), StringComparison.Ordinal);
            }
        }

        foreach (var (path, body) in SdkPaths(externalId))
        {
            var (response, answer) = await _client.SendSdkAsync(path, body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {answer.Compact()}");
            Assert.Equal(0, answer["stored"].Long());
            Assert.StartsWith("suppressed: ", answer["rejected"]![0]!["reason"].Str(), StringComparison.Ordinal);
        }

        Assert.Empty(await _client.FindAllAsync($"externalId={CrmClient.Encode(externalId)}"));

        var (lifted, _) = await _client.SendAsync(HttpMethod.Delete, $"/api/v1/suppressions/{externalId}");
        Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.SendAsync(HttpMethod.Delete, $"/api/v1/suppressions/{externalId}")).Response.StatusCode);
        var (_, after) = await _client.GetJsonAsync("/api/v1/suppressions");
        Assert.DoesNotContain(after["data"]!["suppressions"]!.AsArray(), s => s!["externalId"].Str() == externalId);

        // Ingestion is accepted again: enrolment first (CRM events need the user), then every path.
        await _client.CreateUserAsync(externalId);
        foreach (var (path, body, _) in Paths(externalId, userId, post))
        {
            if (path == "/api/v1/users")
            {
                continue;
            }

            var (response, answer) = await _client.PostRawAsync(path, body);
            Assert.True((int)response.StatusCode is 200 or 201, $"{path} after lifting: {(int)response.StatusCode} {answer.Compact()}");
        }

        foreach (var (path, body) in SdkPaths(externalId))
        {
            var (response, answer) = await _client.SendSdkAsync(path, body);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} after lifting: {(int)response.StatusCode} {answer.Compact()}");
        }
    }

    [Fact]
    public async Task An_sdk_batch_rejects_the_suppressed_message_and_stores_the_rest()
    {
        var suppressed = "suppressed-" + Guid.NewGuid().ToString("N");
        var name = "batch-" + Guid.NewGuid().ToString("N");
        await _client.CreateUserAsync(suppressed);
        await _client.EraseAsync(suppressed, suppress: true);

        var batch = new
        {
            batch = new object[]
            {
                new { type = "track", userId = "kept-a-" + name, @event = name, messageId = name + "-0" },
                new { type = "track", userId = suppressed, @event = name, messageId = name + "-1" },
                new { type = "track", userId = "kept-b-" + name, @event = name, messageId = name + "-2" },
                new { type = "alias", userId = "kept-c-" + name, previousId = suppressed, messageId = name + "-3" },
            },
        };
        var (response, answer) = await _client.SendSdkAsync("/v1/batch", batch);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(2, answer["stored"].Long());
        var rejected = answer["rejected"]!.AsArray();
        Assert.Equal([1, 3], rejected.Select(r => (int)r!["index"].Long()));
        Assert.All(rejected, r => Assert.StartsWith("suppressed: ", r!["reason"].Str(), StringComparison.Ordinal));
        var stored = await _client.FindAllAsync($"eventName={name}");
        Assert.Equal(["kept-a-" + name, "kept-b-" + name], stored.Select(e => e["externalId"].Str()).Order());
    }

    /// <summary>Every non-SDK ingestion path with a body for the suppressed person: (path, JSON, answers per item).</summary>
    private static (string Path, string Body, bool Batch)[] Paths(string externalId, long userId, long post)
    {
        var crmEvent = new JsonObject { ["name"] = "suppressed-event", ["externalId"] = externalId, ["properties"] = new JsonArray() };
        var tracked = new JsonObject { ["eventType"] = "CLICK", ["userId"] = userId, ["sessionId"] = "s", ["metadata"] = new JsonObject { ["componentId"] = 1002 } };
        return
        [
            ("/api/v1/users", new JsonObject { ["externalId"] = externalId, ["userAttributes"] = "{\"email\":\"x@example.com\"}" }.ToJsonString(), false),
            ("/api/v1/events", crmEvent.ToJsonString(), false),
            ("/api/v1/events/batch", new JsonArray(crmEvent.DeepClone()).ToJsonString(), true),
            ("/api/events", tracked.ToJsonString(), false),
            ("/api/users/events", tracked.ToJsonString(), false),
            ("/api/events/batch", new JsonArray(tracked.DeepClone()).ToJsonString(), true),
            ("/api/posts", new JsonObject { ["userId"] = userId, ["content"] = "again", ["hashtags"] = new JsonArray("suppression") }.ToJsonString(), false),
            ("/api/posts/like", new JsonObject { ["postId"] = post, ["userId"] = userId }.ToJsonString(), false),
        ];
    }

    /// <summary>The Segment and PostHog endpoints, one message each (new message ids every call).</summary>
    private static (string Path, object Body)[] SdkPaths(string externalId)
    {
        string Id() => Guid.NewGuid().ToString();
        return
        [
            ("/v1/track", new { type = "track", userId = externalId, @event = "suppressed-sdk", messageId = Id() }),
            ("/v1/identify", new { type = "identify", userId = externalId, messageId = Id(), traits = new { plan = "x" } }),
            ("/v1/batch", new { batch = new[] { new { type = "track", userId = externalId, @event = "suppressed-sdk", messageId = Id() } } }),
            ("/capture", new { @event = "suppressed-sdk", distinct_id = externalId, uuid = Id() }),
            ("/batch", new { batch = new[] { new { @event = "suppressed-sdk", distinct_id = externalId, uuid = Id() } } }),
            ("/i/v0/e", new[] { new { @event = "suppressed-sdk", distinct_id = externalId, uuid = Id() } }),
        ];
    }
}

public sealed class SuppressionTests_Embedded(ErasureEmbeddedFixture fixture) : SuppressionTests(fixture), IClassFixture<ErasureEmbeddedFixture>;

public sealed class SuppressionTests_Server(ErasureServerFixture fixture) : SuppressionTests(fixture), IClassFixture<ErasureServerFixture>;
