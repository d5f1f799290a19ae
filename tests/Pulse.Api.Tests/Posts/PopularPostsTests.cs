using System.Net;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Posts;

/// <summary>Popular posts are global, so assertions look at this test's own posts within the ranking.</summary>
public abstract class PopularPostsTests(ClockedFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Popular_posts_are_ranked_by_likes_then_newest_and_posts_without_likes_are_left_out()
    {
        var a = await CreateAsync();
        var b = await CreateAsync();
        var c = await CreateAsync();
        var unliked = await CreateAsync();
        await _client.LikeAsync(a, 3);
        await _client.LikeAsync(b, 1);
        await _client.LikeAsync(c, 3);

        var popular = await _client.PopularAsync("?limit=100");

        var mine = popular.Where(p => p!["postId"].Long() is var id && (id == a || id == b || id == c || id == unliked)).ToList();
        Assert.Equal([c, a, b], mine.Select(p => p!["postId"].Long()));
        Assert.Equal([3L, 3L, 1L], mine.Select(p => p!["likeCount"].Long()));
        Assert.DoesNotContain(popular, p => p!["likeCount"].Long() == 0);
        var counts = popular.LikeCounts();
        Assert.Equal(counts.OrderByDescending(n => n), counts);
    }

    [Fact]
    public async Task The_limit_caps_the_ranking_and_defaults_to_ten()
    {
        for (var i = 0; i < 12; i++)
        {
            await _client.LikeAsync(await CreateAsync(), 1);
        }

        Assert.Equal(10, (await _client.PopularAsync()).Count);
        Assert.Equal(2, (await _client.PopularAsync("?limit=2")).Count);
    }

    [Fact]
    public async Task With_hours_only_likes_made_in_that_window_count()
    {
        var old = await CreateAsync();
        var recent = await CreateAsync();
        await _client.LikeAsync(old, 5);
        await _client.LikeAsync(recent, 1);
        fixture.Clock.Advance(TimeSpan.FromHours(2));
        await _client.LikeAsync(recent, 2);

        var lastHour = await _client.PopularAsync("?limit=100&hours=1");
        var allTime = await _client.PopularAsync("?limit=100");
        var lastThreeHours = await _client.PopularAsync("?limit=100&hours=3");

        Assert.DoesNotContain(old, lastHour.PostIds());
        Assert.Equal(2, lastHour.Single(p => p!["postId"].Long() == recent)!["likeCount"].Long());
        Assert.Equal(5, allTime.Single(p => p!["postId"].Long() == old)!["likeCount"].Long());
        Assert.Equal(3, allTime.Single(p => p!["postId"].Long() == recent)!["likeCount"].Long());
        var ranked = lastThreeHours.PostIds();
        Assert.True(Array.IndexOf(ranked, old) < Array.IndexOf(ranked, recent), "5 likes rank above 3 within three hours");
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?hours=0", "hours")]
    [InlineData("?hours=-3", "hours")]
    public async Task Limit_and_hours_are_validated(string query, string field)
    {
        var (response, body) = await _client.GetJsonAsync("/api/posts/popular" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body["errors"]![field]);
    }

    private async Task<long> CreateAsync()
    {
        // A second between posts, so "newest" is a real difference in time, not just a larger id.
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        return await _client.CreatePostAsync(PostsClient.NewTag("인기"));
    }
}

public sealed class PopularPostsTests_Embedded(ClockedEmbeddedFixture fixture) : PopularPostsTests(fixture), IClassFixture<ClockedEmbeddedFixture>;

public sealed class PopularPostsTests_Server(ClockedServerFixture fixture) : PopularPostsTests(fixture), IClassFixture<ClockedServerFixture>;

public sealed class PopularPostsTests_Cluster(ClockedClusterFixture fixture) : PopularPostsTests(fixture), IClassFixture<ClockedClusterFixture>;
