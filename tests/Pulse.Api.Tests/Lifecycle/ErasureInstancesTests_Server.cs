using System.Diagnostics;
using System.Net;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Lifecycle;

/// <summary>
/// Two server-mode instances sharing PostgreSQL and Redis: an erasure on one clears the other's caches, and a
/// suppression made on one is refused by the other within 5 s (the broadcast, with the 2 s version check behind it).
/// Embedded mode has one instance by design.
/// </summary>
public sealed class ErasureInstancesTests_Server(ErasureServerFixture fixture) : IClassFixture<ErasureServerFixture>
{
    private readonly HttpClient _client = fixture.Admin;

    [Fact]
    public async Task An_erasure_clears_the_caches_of_a_second_instance()
    {
        await using var second = fixture.StartAnotherInstance();
        using var secondClient = second.CreateClient().WithAdminKey();
        var person = await Person.CreateAsync(_client);
        // The second instance holds the user in memory and the hashtag's results (with the person's post) in Redis.
        await secondClient.SaveEventAsync(person.EventName, person.ExternalId, null);
        Assert.Contains(await secondClient.SearchHashtagAsync(person.OtherUserId, person.Hashtag), p => p!["postId"].Long() == person.Post);

        await _client.EraseAsync(person.ExternalId);

        Assert.DoesNotContain(await secondClient.SearchHashtagAsync(person.OtherUserId, person.Hashtag), p => p!["postId"].Long() == person.Post);
        Assert.Empty(await secondClient.RecentKeywordsAsync(person.UserId));
        await Eventually.HoldsAsync(
            async () => (await secondClient.PostAsync("/api/v1/events", new { name = person.EventName, externalId = person.ExternalId, properties = Array.Empty<object>() })).Response.StatusCode == HttpStatusCode.NotFound,
            "the second instance forgetting the erased user", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_suppression_is_refused_by_a_second_instance_within_five_seconds()
    {
        await using var second = fixture.StartAnotherInstance();
        using var secondClient = second.CreateClient().WithAdminKey();
        var externalId = "two-" + Guid.NewGuid().ToString("N");
        await _client.CreateUserAsync(externalId);
        await secondClient.SaveEventAsync("two", externalId, null);

        var suppressed = Stopwatch.StartNew();
        await _client.EraseAsync(externalId, suppress: true);
        await Eventually.HoldsAsync(
            async () => (await secondClient.PostAsync("/api/v1/users", new { externalId, userAttributes = "{\"email\":\"a@example.com\"}" })).Response.StatusCode == HttpStatusCode.UnprocessableEntity,
            "the second instance refusing the suppressed id");
        Assert.True(suppressed.Elapsed < TimeSpan.FromSeconds(5), $"the second instance refused the id after {suppressed.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Delete, $"/api/v1/suppressions/{externalId}")).Response.StatusCode);
        await Eventually.HoldsAsync(
            async () => (await secondClient.PostAsync("/api/v1/users", new { externalId, userAttributes = "{\"email\":\"a@example.com\"}" })).Response.StatusCode == HttpStatusCode.OK,
            "the second instance accepting the id again", TimeSpan.FromSeconds(5));
    }
}
