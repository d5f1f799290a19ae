using System.Net;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Posts;

/// <summary>Each test searches keywords of its own, so the search cache never serves one test's answer to another.</summary>
public abstract class HashtagSearchTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Results_are_most_liked_first_then_newest_and_include_posts_without_likes()
    {
        var tag = PostsClient.NewTag("고양이");
        var oldest = await _client.CreatePostAsync(tag, "다른태그");
        var twoLikes = await _client.CreatePostAsync("#" + tag);
        var oneLike = await _client.CreatePostAsync(tag);
        var newest = await _client.CreatePostAsync(tag);
        await _client.CreatePostAsync(PostsClient.NewTag("강아지"));
        await _client.LikeAsync(twoLikes, 2);
        await _client.LikeAsync(oneLike, 1);

        var results = await _client.SearchAsync(tag);

        Assert.Equal([twoLikes, oneLike, newest, oldest], results.PostIds());
        Assert.Equal([2L, 1L, 0L, 0L], results.LikeCounts());
        var first = results[0]!;
        Assert.Equal(tag, first["hashtags"]![0].Str());
        Assert.NotNull(first["content"]);
        Assert.NotNull(first["createdAt"]);
        Assert.NotNull(first["userId"]);
    }

    [Fact]
    public async Task At_most_ten_posts_are_returned_and_liked_ones_are_never_cut()
    {
        var tag = PostsClient.NewTag();
        var ids = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await _client.CreatePostAsync(tag));
        }

        await _client.LikeAsync(ids[0], 1);
        await _client.LikeAsync(ids[1], 2);

        var results = await _client.SearchAsync(tag);

        // Liked first (most first), then the newest eight of the unliked; the two oldest unliked are cut.
        long[] expected = [ids[1], ids[0], .. Enumerable.Range(4, 8).Reverse().Select(i => ids[i])];
        Assert.Equal(expected, results.PostIds());
    }

    [Fact]
    public async Task Korean_keywords_match_with_or_without_the_hash_sign()
    {
        var tag = PostsClient.NewTag("고양이");
        var postId = await _client.CreatePostAsync(tag);

        Assert.Equal([postId], (await _client.SearchAsync(tag)).PostIds());
        Assert.Equal([postId], (await _client.SearchAsync("#" + tag)).PostIds());
        Assert.Equal([postId], (await _client.SearchAsync($"  {tag} ")).PostIds());
    }

    [Fact]
    public async Task Keywords_match_whole_hashtags_case_sensitively()
    {
        var tag = "Cat" + Guid.NewGuid().ToString("N")[..12];
        var postId = await _client.CreatePostAsync(tag);

        Assert.Empty(await _client.SearchAsync(tag.ToLowerInvariant()));
        Assert.Empty(await _client.SearchAsync(tag[..^1]));
        Assert.Empty(await _client.SearchAsync(tag + "s"));
        Assert.Equal([postId], (await _client.SearchAsync(tag)).PostIds());
    }

    [Fact]
    public async Task Recent_keywords_are_newest_first_without_duplicates_and_at_most_ten()
    {
        var userId = PostsClient.NewUserId();
        var keywords = Enumerable.Range(1, 12).Select(i => $"최근{i}-{Guid.NewGuid():N}"[..20]).ToArray();
        foreach (var keyword in keywords)
        {
            await _client.SearchAsync(keyword, userId);
        }

        await _client.SearchAsync("#" + keywords[2], userId);

        string[] expected = [keywords[2], .. keywords[3..].Reverse().Where(k => k != keywords[2]).Take(9)];
        Assert.Equal(expected, await _client.RecentKeywordsAsync(userId));
    }

    [Fact]
    public async Task Every_search_is_counted_as_a_search_event_of_the_search_component()
    {
        var keyword = PostsClient.NewTag("검색");
        await _client.SearchAsync(keyword);
        await _client.SearchAsync("#" + keyword);

        var (response, body) = await _client.GetJsonAsync($"/api/statistics?eventType=SEARCH&componentId=1001&keyword={Uri.EscapeDataString(keyword)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, body["count"].Long());
    }

    [Fact]
    public async Task A_user_who_never_searched_has_no_recent_keywords()
    {
        var (response, body) = await _client.GetJsonAsync($"/api/search/recent/{PostsClient.NewUserId()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(body["keyword"]!.AsArray());
    }

    [Theory]
    [InlineData("?userId=1", "keyword")]
    [InlineData("?userId=1&keyword=%20%20", "keyword")]
    [InlineData("?userId=1&keyword=%23", "keyword")]
    [InlineData("?keyword=cat", "userId")]
    [InlineData("?userId=0&keyword=cat", "userId")]
    [InlineData("?userId=1&keyword=123456789012345678901234567890123456789012345678901", "keyword")]
    public async Task Search_input_is_validated(string query, string field)
    {
        var (response, body) = await _client.GetJsonAsync("/api/search" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body["errors"]![field]);
    }

    [Fact]
    public async Task Recent_keywords_need_a_valid_user_id()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/search/recent/0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/search/recent/abc")).StatusCode);
    }
}

public sealed class HashtagSearchTests_Embedded(EmbeddedFixture fixture) : HashtagSearchTests(fixture), IClassFixture<EmbeddedFixture>;

public sealed class HashtagSearchTests_Server(ServerFixture fixture) : HashtagSearchTests(fixture), IClassFixture<ServerFixture>;

public sealed class HashtagSearchTests_Cluster(ClusterFixture fixture) : HashtagSearchTests(fixture), IClassFixture<ClusterFixture>;
