using System.Net;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Posts;

public abstract class PostsApiTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Creating_a_post_answers_201_with_normalised_korean_hashtags()
    {
        var cat = PostsClient.NewTag("고양이");
        var dog = PostsClient.NewTag("강아지");
        var (response, body) = await _client.PostAsync("/api/posts", new
        {
            userId = 7,
            content = "우리 집 고양이와 강아지",
            imageUrls = "https://img.example/1.jpg,https://img.example/2.jpg",
            hashtags = new[] { "#" + cat, $"  {dog} ", cat },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var postId = body["postId"].Long();
        Assert.True(postId > 0);
        Assert.Equal($"/api/posts/{postId}", response.Headers.Location?.OriginalString);
        Assert.Equal(7, body["userId"].Long());
        Assert.Equal("우리 집 고양이와 강아지", body["content"].Str());
        Assert.Equal("https://img.example/1.jpg,https://img.example/2.jpg", body["imageUrls"].Str());
        Assert.Equal([cat, dog], body["hashtags"]!.AsArray().Select(t => t.Str()));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", body["createdAt"].Str());
    }

    [Fact]
    public async Task A_created_post_reads_back_with_no_likes()
    {
        var tag = PostsClient.NewTag("고양이");
        var postId = await _client.CreatePostAsync(tag);

        var (response, body) = await _client.GetJsonAsync($"/api/posts/{postId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(postId, body["postId"].Long());
        Assert.Equal(tag, body["hashtags"]![0].Str());
        Assert.Null(body["imageUrls"]);
        Assert.Equal(0, body["likeCount"].Long());
    }

    [Fact]
    public async Task A_post_without_hashtags_is_valid()
    {
        var (response, body) = await _client.PostAsync("/api/posts", new { userId = 1, content = "no tags" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty(body["hashtags"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"content":"x"}""", "userId")]
    [InlineData("""{"userId":0,"content":"x"}""", "userId")]
    [InlineData("""{"userId":1}""", "content")]
    [InlineData("""{"userId":1,"content":"   "}""", "content")]
    [InlineData("""{"userId":1,"content":"x","hashtags":["#"]}""", "hashtags[0]")]
    [InlineData("""{"userId":1,"content":"x","hashtags":["ok","  "]}""", "hashtags[1]")]
    [InlineData("""{"userId":1,"content":"x","hashtags":[null]}""", "hashtags[0]")]
    [InlineData("""{"userId":1,"content":"x","hashtags":["a\u0000b"]}""", "hashtags[0]")]
    public async Task Invalid_posts_are_rejected_with_a_message_for_the_field(string json, string field)
    {
        var (response, body) = await _client.PostRawAsync("/api/posts", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(body["errors"]![field]!.AsArray());
        Assert.Contains(field, body["message"].Str(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overlong_content_too_many_hashtags_and_overlong_hashtags_are_rejected()
    {
        var (response, body) = await _client.PostAsync("/api/posts", new { userId = 1, content = new string('가', 5001), hashtags = new[] { "ok" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("5000", body["errors"]!["content"]![0].Str(), StringComparison.Ordinal);

        (response, body) = await _client.PostAsync("/api/posts", new { userId = 1, content = "x", hashtags = Enumerable.Range(0, 21).Select(i => "t" + i).ToArray() });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("20", body["errors"]!["hashtags"]![0].Str(), StringComparison.Ordinal);

        (response, body) = await _client.PostAsync("/api/posts", new { userId = 1, content = "x", hashtags = new[] { "#" + new string('냥', 51) } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body["errors"]!["hashtags[0]"]);

        (response, _) = await _client.PostAsync("/api/posts", new { userId = 1, content = new string('가', 5000), hashtags = new[] { "#" + new string('냥', 50) } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_wrongly_typed_field_is_a_400()
    {
        var (response, body) = await _client.PostRawAsync("/api/posts", """{"userId":"seven","content":"x"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("userId", body["detail"].Str(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liking_toggles_the_like_and_counts_likes_per_user()
    {
        var postId = await _client.CreatePostAsync(PostsClient.NewTag());
        var alice = PostsClient.NewUserId();
        var bob = PostsClient.NewUserId();

        var first = await _client.ToggleLikeAsync(postId, alice);
        Assert.Equal(postId, first["postId"].Long());
        Assert.Equal(alice, first["userId"].Long());
        Assert.True(first["liked"]!.GetValue<bool>());
        Assert.Equal(1, first["likeCount"].Long());

        var second = await _client.ToggleLikeAsync(postId, bob);
        Assert.True(second["liked"]!.GetValue<bool>());
        Assert.Equal(2, second["likeCount"].Long());

        var undo = await _client.ToggleLikeAsync(postId, alice);
        Assert.False(undo["liked"]!.GetValue<bool>());
        Assert.Equal(1, undo["likeCount"].Long());

        var (_, post) = await _client.GetJsonAsync($"/api/posts/{postId}");
        Assert.Equal(1, post["likeCount"].Long());
        Assert.Equal(1, await PostsDatabase.CountLikeRowsAsync(fixture.Services, postId));
    }

    [Fact]
    public async Task Likes_and_unlikes_are_recorded_as_events_of_the_like_component()
    {
        var postId = await _client.CreatePostAsync(PostsClient.NewTag());
        var userId = PostsClient.NewUserId();
        var statistics = $"/api/statistics?eventType=LIKE&componentId=1003&postId={postId}";

        await _client.ToggleLikeAsync(postId, userId);
        var (_, afterLike) = await _client.GetJsonAsync(statistics);
        await _client.ToggleLikeAsync(postId, userId);
        var (_, afterUnlike) = await _client.GetJsonAsync(statistics);

        Assert.Equal(1, afterLike["count"].Long());
        Assert.Equal(0, afterUnlike["count"].Long());
    }

    [Fact]
    public async Task Concurrent_toggles_of_one_user_and_post_take_turns_and_never_duplicate_the_like()
    {
        const int Toggles = 24;
        var postId = await _client.CreatePostAsync(PostsClient.NewTag());
        var userId = PostsClient.NewUserId();

        var responses = await Task.WhenAll(Enumerable.Range(0, Toggles).Select(_ => _client.PostAsync("/api/posts/like", new { postId, userId })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Response.StatusCode));
        // Strictly serialised toggles alternate: half of them liked, half unliked, each seeing 1 or 0 likes.
        Assert.Equal(Toggles / 2, responses.Count(r => r.Body["liked"]!.GetValue<bool>()));
        Assert.All(responses, r => Assert.Equal(r.Body["liked"]!.GetValue<bool>() ? 1 : 0, r.Body["likeCount"].Long()));
        Assert.Equal(0, await PostsDatabase.CountLikeRowsAsync(fixture.Services, postId));

        var last = await _client.ToggleLikeAsync(postId, userId);
        Assert.True(last["liked"]!.GetValue<bool>());
        Assert.Equal(1, last["likeCount"].Long());
        Assert.Equal(1, await PostsDatabase.CountLikeRowsAsync(fixture.Services, postId));
    }

    [Fact]
    public async Task Liking_an_unknown_post_is_not_found()
    {
        var (response, body) = await _client.PostAsync("/api/posts/like", new { postId = 987_654_321_987L, userId = 1 });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("987654321987", body["message"].Str(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_an_unknown_post_is_not_found()
    {
        var (response, _) = await _client.GetJsonAsync("/api/posts/987654321987");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"userId":1}""", "postId")]
    [InlineData("""{"postId":1}""", "userId")]
    [InlineData("""{"postId":-1,"userId":1}""", "postId")]
    public async Task A_like_needs_a_post_and_a_user(string json, string field)
    {
        var (response, body) = await _client.PostRawAsync("/api/posts/like", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body["errors"]![field]);
    }
}

public sealed class PostsApiTests_Embedded(EmbeddedFixture fixture) : PostsApiTests(fixture), IClassFixture<EmbeddedFixture>;

public sealed class PostsApiTests_Server(ServerFixture fixture) : PostsApiTests(fixture), IClassFixture<ServerFixture>;

public sealed class PostsApiTests_Cluster(ClusterFixture fixture) : PostsApiTests(fixture), IClassFixture<ClusterFixture>;
