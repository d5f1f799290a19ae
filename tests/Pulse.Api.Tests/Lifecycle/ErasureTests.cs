using System.Net;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Sdk;

namespace Pulse.Api.Tests.Lifecycle;

/// <summary>
/// Erasure of a person (issue 16, item 1), in both modes: every kind of their data removed and counted, like counts
/// adjusted, caches cleared, the background path, erasing twice, the audit record and the scopes.
/// </summary>
public abstract class ErasureTests(IErasureFixture erasure)
{
    private readonly PulseFixture _fixture = erasure.Fixture;
    private readonly HttpClient _client = erasure.Admin;

    [Fact]
    public async Task Every_kind_of_a_users_data_is_removed_and_counted()
    {
        var person = await Person.CreateAsync(_client);
        var otherPostLikesBefore = await _client.LikeCountAsync(person.OthersPost);
        var stored = await _client.FindAllAsync($"externalId={CrmClient.Encode(person.ExternalId)}");
        Assert.Equal(5, stored.Count); // 3 CRM events, the identify, and the anonymous id's track (aliased)
        var properties = stored.Sum(e => e["properties"]!.AsArray().Count);

        var erased = await _client.EraseAsync(person.ExternalId);

        Assert.Equal("completed", erased["status"].Str());
        Assert.Equal(2, erased.Removed("users"));               // the person and their aliased anonymous id
        Assert.Equal(5, erased.Removed("events"));
        Assert.Equal(properties, erased.Removed("eventProperties"));
        Assert.Equal(3, erased.Removed("campaignLinks"));
        Assert.Equal(2, erased.Removed("messageIds"));
        Assert.Equal(1, erased.Removed("aliases"));
        Assert.Equal(4, erased.Removed("trackedEvents"));       // 2 clicks, the LIKE and the SEARCH recorded for them
        Assert.Equal(1, erased.Removed("likes"));
        Assert.Equal(1, erased.Removed("posts"));
        Assert.Equal(2, erased.Removed("postHashtags"));
        Assert.Equal(2, erased.Removed("likesOnPosts"));
        Assert.Equal(1, erased.Removed("recentKeywords"));

        Assert.Empty(await _client.FindAllAsync($"externalId={CrmClient.Encode(person.ExternalId)}"));
        Assert.Empty(await _client.FindAllAsync($"eventName={CrmClient.Encode(person.EventName)}"));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetJsonAsync($"/api/posts/{person.Post}")).Response.StatusCode);
        Assert.Equal(otherPostLikesBefore - 1, await _client.LikeCountAsync(person.OthersPost));
        Assert.Empty(await _client.RecentKeywordsAsync(person.UserId));
        Assert.DoesNotContain(await _client.SearchHashtagAsync(person.OtherUserId, person.Hashtag), p => p!["postId"].Long() == person.Post);
        Assert.Equal(0, await LifecycleDatabase.CountAsync(_fixture.Services, "tracked_events", "user_id", person.UserId));
        Assert.Equal(0, await LifecycleDatabase.CountAsync(_fixture.Services, "post_likes", "user_id", person.UserId));
        Assert.Equal(0, await LifecycleDatabase.CountAsync(_fixture.Services, "users", "external_id", person.AnonymousId));
        Assert.Equal(0, await LifecycleDatabase.CountAsync(_fixture.Services, "user_aliases", "user_id", person.UserId));

        // The user is gone: events for the id are unknown, and it can be enrolled anew (not a 409).
        var (refused, _) = await _client.PostAsync("/api/v1/events", new { name = person.EventName, externalId = person.ExternalId, properties = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.NotEqual(person.UserId, await _client.CreateUserAsync(person.ExternalId));

        // The message ids went with the events: the same message sent again is stored again, not taken for a duplicate.
        Assert.Equal(HttpStatusCode.OK, (await _client.SendSdkAsync("/v1/track", person.Track)).Response.StatusCode);
        Assert.Single(await _client.FindAllAsync($"eventName={CrmClient.Encode(person.EventName + "-sdk")}"));
    }

    [Fact]
    public async Task Cached_search_results_and_user_lookups_do_not_outlive_the_erasure()
    {
        var person = await Person.CreateAsync(_client);
        // Warm every cache: the user lookup (an event), the hashtag's results (with the person's post), recent keywords.
        await _client.SaveEventAsync(person.EventName, person.ExternalId, null);
        Assert.Contains(await _client.SearchHashtagAsync(person.OtherUserId, person.Hashtag), p => p!["postId"].Long() == person.Post);

        await _client.EraseAsync(person.ExternalId);

        Assert.DoesNotContain(await _client.SearchHashtagAsync(person.OtherUserId, person.Hashtag), p => p!["postId"].Long() == person.Post);
        var (refused, _) = await _client.PostAsync("/api/v1/events", new { name = person.EventName, externalId = person.ExternalId, properties = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task A_large_erasure_answers_202_and_its_status_says_when_it_is_done()
    {
        var externalId = "large-" + Guid.NewGuid().ToString("N");
        var name = "large-" + Guid.NewGuid().ToString("N");
        await _client.CreateUserAsync(externalId);
        var events = Enumerable.Range(0, 3 * IErasureFixture.InlineLimit).Select(i => new { name, externalId, properties = new[] { new { key = "i", value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } } }).ToArray();
        var (batch, _) = await _client.PostAsync("/api/v1/events/batch", events);
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);

        var (response, body) = await _client.SendAsync(HttpMethod.Delete, $"/api/v1/users/{externalId}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = body["data"]!["id"].Long();
        Assert.Equal($"/api/v1/erasures/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("running", body["data"]!["status"].Str());
        var done = await _client.WaitForErasureAsync(id);
        Assert.Equal(events.Length, done.Removed("events"));
        Assert.Equal(events.Length, done.Removed("eventProperties"));
        Assert.Equal(1, done.Removed("users"));
        Assert.NotNull(done["completedAt"]);
        Assert.Empty(await _client.FindAllAsync($"eventName={name}"));
    }

    [Fact]
    public async Task Erasing_again_or_an_unknown_id_is_harmless_and_counts_nothing()
    {
        var person = await Person.CreateAsync(_client);
        var first = await _client.EraseAsync(person.ExternalId);
        Assert.Equal(5, first.Removed("events"));

        var (again, body) = await _client.SendAsync(HttpMethod.Delete, $"/api/v1/users/{person.ExternalId}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("completed", body["data"]!["status"].Str());
        Assert.Equal(0, body["data"]!["removed"]!["total"].Long());
        Assert.NotEqual(first["id"].Long(), body["data"]!["id"].Long());

        var (unknown, unknownBody) = await _client.SendAsync(HttpMethod.Delete, "/api/v1/users/never-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Equal(0, unknownBody["data"]!["removed"]!["total"].Long());
    }

    [Fact]
    public async Task The_audit_record_names_the_key_and_the_counts_but_none_of_the_erased_data()
    {
        var (created, key) = await _client.PostAsync("/api/v1/keys", new { name = "gdpr-desk", scopes = new[] { "admin" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var person = await Person.CreateAsync(_client);

        var (response, body) = await _client.SendAsync(HttpMethod.Delete, $"/api/v1/users/{person.ExternalId}", key["data"]!["key"].Str());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = body["data"]!["id"].Long();

        var (_, record) = await _client.GetJsonAsync($"/api/v1/erasures/{id}");
        var audit = record["data"]!;
        Assert.Equal(person.ExternalId, audit["externalId"].Str());
        Assert.Equal("gdpr-desk", audit["requestedBy"]!["keyName"].Str());
        Assert.Equal(key["data"]!["id"].Long(), audit["requestedBy"]!["keyId"].Long());
        Assert.False(audit["suppressed"]!.GetValue<bool>());
        Assert.NotNull(audit["requestedAt"]);
        Assert.Equal(5, audit.Removed("events"));
        var text = audit.Compact();
        Assert.DoesNotContain(person.Email, text, StringComparison.Ordinal);
        Assert.DoesNotContain(person.AnonymousId, text, StringComparison.Ordinal);
        Assert.DoesNotContain(person.EventName, text, StringComparison.Ordinal);
        Assert.DoesNotContain(key["data"]!["key"].Str(), text, StringComparison.Ordinal);

        var (_, list) = await _client.GetJsonAsync("/api/v1/erasures?limit=500");
        Assert.Contains(list["data"]!["erasures"]!.AsArray(), e => e!["id"].Long() == id && e["requestedBy"]!["keyName"].Str() == "gdpr-desk");
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetJsonAsync("/api/v1/erasures/987654321")).Response.StatusCode);
    }

    [Fact]
    public async Task Only_an_admin_key_may_erase_read_erasures_or_touch_suppressions()
    {
        var person = await Person.CreateAsync(_client);
        var ingest = await KeyAsync("erasure ingest", "ingest");
        var read = await KeyAsync("erasure read", "read");
        (HttpMethod Method, string Path)[] endpoints =
        [
            (HttpMethod.Delete, $"/api/v1/users/{person.ExternalId}"),
            (HttpMethod.Delete, $"/api/v1/users/{person.ExternalId}?suppress=true"),
            (HttpMethod.Get, "/api/v1/erasures"),
            (HttpMethod.Get, "/api/v1/erasures/1"),
            (HttpMethod.Get, "/api/v1/suppressions"),
            (HttpMethod.Delete, $"/api/v1/suppressions/{person.ExternalId}"),
        ];

        foreach (var (method, path) in endpoints)
        {
            foreach (var key in new[] { ingest, read })
            {
                var (response, body) = await _client.SendAsync(method, path, key);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode}");
                Assert.Equal("admin", body["scope"].Str());
            }
        }

        // Nothing happened: the person's data is all there.
        Assert.Equal(5, (await _client.FindAllAsync($"externalId={CrmClient.Encode(person.ExternalId)}")).Count);
    }

    private async Task<string> KeyAsync(string name, string scope)
    {
        var (response, body) = await _client.PostAsync("/api/v1/keys", new { name, scopes = new[] { scope } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return body["data"]!["key"].Str();
    }
}

/// <summary>
/// A person with data of every kind: attributes with an email, 3 CRM events linked to a campaign, an SDK identify that
/// links an anonymous id, a track under that anonymous id, 2 clicks, a post with 2 hashtags liked by 2 others, a like of
/// someone else's post (liked by one more), and a hashtag search (a recent keyword and a SEARCH event).
/// </summary>
internal sealed record Person(
    string ExternalId, string AnonymousId, string Email, string EventName, string Hashtag, long UserId, long OtherUserId, long Post, long OthersPost, object Track)
{
    public static async Task<Person> CreateAsync(HttpClient client)
    {
        var unique = Guid.NewGuid().ToString("N");
        var externalId = "person-" + unique;
        var anonymousId = "anon-" + unique;
        var email = $"kim-{unique}@example.com";
        var eventName = "erasure-" + unique;
        var hashtag = "tag" + unique[..12];
        var campaign = "erasure-campaign-" + unique;
        var userId = await client.CreateUserAsync(externalId, email);
        await client.CreateCampaignAsync(campaign, "action");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("Event saved with campaign", (await client.SaveEventAsync(eventName, externalId, campaign, ("action", "v-action")))["message"].Str());
        }

        var identify = new { type = "identify", userId = externalId, anonymousId, messageId = "id-" + unique, traits = new { plan = "pro" } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendSdkAsync("/v1/identify", identify)).Response.StatusCode);
        var track = new { type = "track", anonymousId, @event = eventName + "-sdk", messageId = "tr-" + unique, properties = new { x = 1 } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendSdkAsync("/v1/track", track)).Response.StatusCode);

        await client.SaveTrackedAsync(userId);
        await client.SaveTrackedAsync(userId);
        var other = Random.Shared.NextInt64(1L << 40, 1L << 50);
        var post = await client.CreatePostAsync(userId, hashtag, hashtag + "-2");
        await client.LikeAsync(post, other);
        await client.LikeAsync(post, other + 1);
        var othersPost = await client.CreatePostAsync(other, hashtag);
        await client.LikeAsync(othersPost, other + 2);
        Assert.Equal(2, await client.LikeAsync(othersPost, userId));
        Assert.Contains(await client.SearchHashtagAsync(userId, hashtag), p => p!["postId"].Long() == post);
        Assert.Single(await client.RecentKeywordsAsync(userId));
        return new Person(externalId, anonymousId, email, eventName, hashtag, userId, other, post, othersPost, track);
    }
}

public sealed class ErasureTests_Embedded(ErasureEmbeddedFixture fixture) : ErasureTests(fixture), IClassFixture<ErasureEmbeddedFixture>;

public sealed class ErasureTests_Server(ErasureServerFixture fixture) : ErasureTests(fixture), IClassFixture<ErasureServerFixture>;
