using Pulse.Core.Posts;

namespace Pulse.Api.Posts;

/// <summary>The answer to <c>POST /api/posts</c>.</summary>
public sealed record PostCreated(long PostId, long UserId, string Content, string? ImageUrls, IReadOnlyList<string> Hashtags, DateTimeOffset CreatedAt)
{
    public static PostCreated From(Post post) => new(post.Id, post.UserId, post.Content, post.ImageUrls, post.Hashtags, post.CreatedAt);
}

/// <summary>A post in search results, popular posts and <c>GET /api/posts/{id}</c>, with its number of likes.</summary>
public sealed record PostView(long PostId, long UserId, string Content, string? ImageUrls, IReadOnlyList<string> Hashtags, DateTimeOffset CreatedAt, long LikeCount)
{
    public static PostView From(Post post) => new(post.Id, post.UserId, post.Content, post.ImageUrls, post.Hashtags, post.CreatedAt, post.LikeCount);

    public static PostView[] From(IReadOnlyList<Post> posts)
    {
        var views = new PostView[posts.Count];
        for (var i = 0; i < posts.Count; i++)
        {
            views[i] = From(posts[i]);
        }

        return views;
    }
}

public sealed record LikeView(long PostId, long UserId, bool Liked, long LikeCount)
{
    public static LikeView From(LikeToggle toggle) => new(toggle.PostId, toggle.UserId, toggle.Liked, toggle.LikeCount);
}

/// <summary><c>{"keyword": [...]}</c>, most recent first, as the seed answered.</summary>
public sealed record RecentKeywordsView(IReadOnlyList<string> Keyword);
