using Pulse.Core.Posts;

namespace Pulse.Api.Tests.Posts;

/// <summary>
/// Embedded mode keeps the search cache and recent keywords in memory and expires them by the host's clock, so a
/// manual clock shows each lifetime exactly. (Server mode's Redis expiries are checked in <see cref="RedisSearchTests"/>.)
/// </summary>
public sealed class SearchExpiryTests_Embedded(ClockedEmbeddedFixture fixture) : IClassFixture<ClockedEmbeddedFixture>
{
    private readonly HttpClient _client = fixture.Client;

    private long Queries => PostsDatabase.SearchQueries(fixture.Services);

    [Fact]
    public async Task Stale_results_are_served_within_the_ttl_and_never_beyond_ttl_plus_jitter()
    {
        var tag = PostsClient.NewTag();
        var postId = await _client.CreatePostAsync(tag);
        Assert.Equal(new[] { 0L }, (await _client.SearchAsync(tag)).LikeCounts());
        await _client.LikeAsync(postId, 1);
        var before = Queries;

        fixture.Clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(new[] { 0L }, (await _client.SearchAsync(tag)).LikeCounts());
        Assert.Equal(0, Queries - before);

        fixture.Clock.Advance(SearchCachePolicy.MaxStaleness - TimeSpan.FromSeconds(50));
        Assert.Equal(new[] { 1L }, (await _client.SearchAsync(tag)).LikeCounts());
        Assert.Equal(1, Queries - before);
    }

    [Fact]
    public async Task An_empty_result_lives_thirty_to_forty_seconds()
    {
        var tag = PostsClient.NewTag();
        Assert.Empty(await _client.SearchAsync(tag));
        var postId = await _client.CreatePostAsync(tag);
        var before = Queries;

        fixture.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await _client.SearchAsync(tag));
        Assert.Equal(0, Queries - before);

        fixture.Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal([postId], (await _client.SearchAsync(tag)).PostIds());
        Assert.Equal(1, Queries - before);
    }

    [Fact]
    public async Task Recent_keywords_expire_an_hour_after_the_last_search()
    {
        var userId = PostsClient.NewUserId();
        await _client.SearchAsync("처음", userId);
        fixture.Clock.Advance(TimeSpan.FromMinutes(50));
        await _client.SearchAsync("나중", userId);

        fixture.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(["나중", "처음"], await _client.RecentKeywordsAsync(userId));

        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await _client.RecentKeywordsAsync(userId));
    }
}
